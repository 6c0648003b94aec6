#define BOOST_TEST_MODULE block_cache
// The binary's operator new/delete (src/block_cache.cpp, linked into this test as into the
// binary): blocks of every small size are reused only after they are freed, never handed out
// twice, keep their contents while in use, survive being freed on another thread, and are given
// back when a thread ends. (Sanitizer builds leave the cache out; the test then checks plain new.)
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstring>
#include <memory>
#include <set>
#include <thread>
#include <vector>

namespace {

struct block {
  std::unique_ptr<unsigned char[]> p;
  std::size_t size;
  unsigned char fill;
};

block make(std::size_t size, unsigned char fill) {
  block b{std::unique_ptr<unsigned char[]>(new unsigned char[size]), size, fill};
  std::memset(b.p.get(), fill, size);
  return b;
}

bool intact(const block& b) {
  for (std::size_t i = 0; i < b.size; ++i)
    if (b.p[i] != b.fill) return false;
  return true;
}

}  // namespace

BOOST_AUTO_TEST_CASE(live_blocks_of_every_small_size_are_distinct_and_keep_their_contents) {
  std::vector<block> live;
  for (int round = 0; round < 4; ++round) {
    for (std::size_t size = 0; size <= 600; ++size)
      live.push_back(make(size, static_cast<unsigned char>(size + round)));
    std::set<const void*> seen;
    for (const auto& b : live) {
      BOOST_TEST(seen.insert(b.p.get()).second);  // never the same block twice while in use
      BOOST_TEST(intact(b));
    }
    for (std::size_t i = 0; i < live.size(); i += 2) live[i].p.reset();  // free half, then reuse
    std::vector<block> kept;
    for (auto& b : live)
      if (b.p) kept.push_back(std::move(b));
    live = std::move(kept);
  }
}

BOOST_AUTO_TEST_CASE(blocks_freed_on_other_threads_and_by_ending_threads_stay_sound) {
  std::vector<std::vector<block>> made(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&made, t] {
      for (int i = 0; i < 20000; ++i)
        made[t].push_back(make(static_cast<std::size_t>(1 + (i * 37) % 700), static_cast<unsigned char>(t)));
      for (int i = 0; i < 20000; i += 3) made[t][i].p.reset();  // some freed here; the thread's cache ends with it
    });
  for (auto& th : threads) th.join();
  for (const auto& blocks : made)
    for (const auto& b : blocks)
      if (b.p) BOOST_TEST_REQUIRE(intact(b));
  made.clear();  // the rest freed on this thread
  std::vector<block> again;
  for (int i = 0; i < 20000; ++i) again.push_back(make(static_cast<std::size_t>(1 + i % 700), 0x5a));
  for (const auto& b : again) BOOST_TEST_REQUIRE(intact(b));
}
