#include "app/io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#ifndef _WIN32  // Windows: no mmap, writev or /dev/tty (read, one write per piece, no terminal echo)
#include <sys/mman.h>
#include <sys/uio.h>
#endif

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "base/files.h"
#include "base/limits.h"
#include "manifest/change.h"
#include "manifest/values.h"

namespace rollout_pace {

std::string read_all(int fd, std::size_t limit) {
  auto fail = [&](const std::string& why) { throw failure(exit_code::bad_input, why); };
  auto too_large = [&] {
    fail("input is larger than " + std::to_string(max_input_bytes >> 20) + " MiB; refusing to process it");
  };
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) fail("cannot read standard input: Is a directory");
  std::vector<std::string> blocks;
  std::size_t total = 0;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    if (static_cast<std::size_t>(st.st_size) > limit) too_large();
    blocks.emplace_back();
    blocks.back().reserve(static_cast<std::size_t>(st.st_size) + 1);
  }
  std::vector<char> buf(1 << 16);
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(std::string("cannot read standard input: ") + std::strerror(errno));
    }
    if (n == 0) break;
    total += static_cast<std::size_t>(n);
    if (total > limit) too_large();
    if (blocks.empty() || blocks.back().size() + static_cast<std::size_t>(n) > blocks.back().capacity()) {
      blocks.emplace_back();
      blocks.back().reserve(std::max<std::size_t>(1 << 20, static_cast<std::size_t>(n)));
    }
    blocks.back().append(buf.data(), static_cast<std::size_t>(n));
  }
  if (blocks.size() == 1) return std::move(blocks[0]);
  std::string data;
  data.reserve(total);
  for (auto& b : blocks) {
    data += b;
    std::string().swap(b);
  }
  return data;
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool write_pieces(int fd, const std::vector<std::string_view>& pieces) {
#ifdef _WIN32
  for (std::string_view p : pieces) {
    for (std::size_t done = 0; done < p.size();) {
      int n = ::write(fd, p.data() + done, static_cast<unsigned>(std::min<std::size_t>(p.size() - done, 1u << 30)));
      if (n < 0) return false;
      done += static_cast<std::size_t>(n);
    }
  }
  return true;
#else
  std::vector<iovec> iov;
  iov.reserve(pieces.size());
  for (auto p : pieces) iov.push_back({const_cast<char*>(p.data()), p.size()});
  std::size_t at = 0;
  while (at < iov.size()) {
    int count = static_cast<int>(std::min<std::size_t>(iov.size() - at, IOV_MAX));
    ssize_t n = ::writev(fd, iov.data() + at, count);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    auto left = static_cast<std::size_t>(n);  // skip what was written, perhaps part of a piece
    while (at < iov.size() && left >= iov[at].iov_len) left -= iov[at++].iov_len;
    if (at < iov.size() && left > 0) {
      iov[at].iov_base = static_cast<char*>(iov[at].iov_base) + left;
      iov[at].iov_len -= left;
    }
  }
  return true;
#endif
}

input::input() {
#ifndef _WIN32
  struct stat st;
  if (::fstat(0, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    if (static_cast<std::size_t>(st.st_size) > max_input_bytes)
      throw failure(exit_code::bad_input,
                    "input is larger than " + std::to_string(max_input_bytes >> 20) + " MiB; refusing to process it");
    void* p = ::mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, 0, 0);
    if (p != MAP_FAILED) {
      map_ = p;
      size_ = static_cast<std::size_t>(st.st_size);
      return;
    }
  }
#endif
  text_ = read_all(0, max_input_bytes);
}

input::~input() {
#ifndef _WIN32
  if (map_) ::munmap(map_, size_);
#endif
}

reporter::reporter(std::string log_file, bool host_captures) : log_file_(std::move(log_file)) {
#ifdef _WIN32
  (void)host_captures;  // no /dev/tty: --log-file is the way to keep what Helm hides
#else
  if (!host_captures || ::isatty(2)) return;  // a terminal on stderr already shows every line
  const char* setting = std::getenv("ROLLOUT_PACE_TTY");
  if (setting && (std::string(setting) == "off" || std::string(setting) == "0")) return;
  tty_ = ::open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC);  // fails without a controlling terminal
#endif
}

reporter::~reporter() {
  if (tty_ >= 0) ::close(tty_);
}

void reporter::print(const diagnostic& d) {
  std::string line = format(d) + "\n";
  write_all(2, line);
  if (tty_ >= 0) write_all(tty_, line);
  if (!log_file_.empty()) lines_ += line;  // kept for the log file only
}

void reporter::flush_log() {
  if (log_file_.empty() || lines_.empty()) return;
  std::ofstream log(log_file_, std::ios::app | std::ios::binary);
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  std::string text;
  std::size_t at = 0;
  while (at < lines_.size()) {
    std::size_t end = lines_.find('\n', at) + 1;
    text += std::string(stamp) + " " + lines_.substr(at, end - at);
    at = end;
  }
  log << text;
  log.flush();
  if (!log)
    write_all(2, "rollout-pace: warning: cannot append to log file " + log_file_ + ": " + std::strerror(errno) + "\n");
}

namespace {

[[noreturn]] void bad_usage(const std::string& message) { throw failure(exit_code::bad_usage, message); }

}  // namespace

void read_inputs(command_line& cl) {
  options& o = cl.opts;
  std::vector<values_file> values;
  for (const std::string& path : cl.values_files) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      bad_usage("--values " + path + ": is a directory; name a values file, as with helm -f");
    try {
      values.push_back({path, read_file(path)});
    } catch (const failure& f) {
      bad_usage(std::string("--values ") + f.what());
    }
  }
  if (!values.empty()) o.values = parse_values(values, o.values_key, &cl.notes);
  if (!cl.previous_file.empty()) {
    std::string text;
    try {
      text = read_file(cl.previous_file);
    } catch (const failure& f) {
      bad_usage(std::string("--previous ") + f.what());
    }
    o.previous = std::make_shared<const previous_release>(std::move(text), cl.previous_file);
  }
}

}  // namespace rollout_pace
