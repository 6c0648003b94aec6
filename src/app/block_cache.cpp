// The rollout-pace binary's operator new and delete: a per-thread cache of small freed blocks in
// front of malloc. yaml-cpp builds and frees a graph of small nodes for every document; glibc's own
// per-thread cache keeps only 7 blocks of a size (tcache_count), so most of those frees went through
// its bins and their consolidation, about a sixth of rollout-pace's time on a Helm stream (the same
// gain as GLIBC_TUNABLES=glibc.malloc.tcache_count=1000, which a program cannot set for itself; see
// docs/benchmarks.md). Blocks still come from and go back to malloc; the cache only keeps up to
// cache_bytes of freed blocks per thread for reuse, and gives them back when the thread ends.
// Linked into the binary only (never the core library), and left out of sanitizer builds so that
// AddressSanitizer sees every allocation.
#include <malloc.h>

#include <cstddef>
#include <cstdlib>
#include <new>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ROLLOUT_PACE_SANITIZED_BUILD 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define ROLLOUT_PACE_SANITIZED_BUILD 1
#endif

#ifndef ROLLOUT_PACE_SANITIZED_BUILD
namespace {

// glibc's usable sizes of small chunks are 16k + 8 (24, 40, 56, ...); class k holds blocks of usable
// size 16k + 8, which serve requests of up to that many bytes.
constexpr std::size_t classes = 33;  // up to 520 bytes
constexpr std::size_t largest = 16 * (classes - 1) + 8;
constexpr std::size_t cache_bytes = 4u << 20;  // per thread

std::size_t class_of_request(std::size_t n) { return n <= 24 ? 1 : (n - 8 + 15) / 16; }

struct thread_cache {  // trivially destructible: usable while the thread's other destructors run
  void* head[classes];
  std::size_t bytes;
  bool registered, closed;
};
thread_local thread_cache cache;

void flush() {
  for (void*& h : cache.head) {
    while (h) {
      void* next = *static_cast<void**>(h);
      std::free(h);
      h = next;
    }
  }
  cache.bytes = 0;
}

struct flush_at_thread_end {
  ~flush_at_thread_end() {
    flush();
    cache.closed = true;
  }
};

void* allocate(std::size_t n) {
  if (n <= largest) {
    std::size_t k = class_of_request(n);
    if (void* p = cache.head[k]) {
      cache.head[k] = *static_cast<void**>(p);
      cache.bytes -= 16 * k + 8;
      return p;
    }
  }
  if (n == 0) n = 1;
  while (true) {
    if (void* p = std::malloc(n)) return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

void release(void* p) noexcept {
  if (!p) return;
  std::size_t usable = malloc_usable_size(p);
  if (usable <= largest && usable % 16 == 8 && !cache.closed && cache.bytes + usable <= cache_bytes) {
    if (!cache.registered) {
      cache.registered = true;
      static thread_local flush_at_thread_end at_end;  // registers the flush for this thread
      (void)at_end;
    }
    void*& h = cache.head[(usable - 8) / 16];
    *static_cast<void**>(p) = h;
    h = p;
    cache.bytes += usable;
    return;
  }
  std::free(p);
}

}  // namespace

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
#endif
