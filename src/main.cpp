// The thin shell around the core: flags, standard input and output, the log file, exit codes.
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <climits>
#include <unistd.h>

#include <algorithm>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <memory>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "rollout_pace/cli.h"
#include "rollout_pace/diagnostic.h"
#include "rollout_pace/flux.h"
#include "rollout_pace/plan_format.h"
#include "rollout_pace/release_plan.h"
#include "rollout_pace/rewrite.h"
#include "rollout_pace/version.h"

namespace rp = rollout_pace;

namespace {

// Reads all of fd, refusing more than limit bytes. Throws failure(bad_input) on errors. A regular
// file is read into a buffer of its exact size; a pipe in 1 MiB blocks joined once at the end, so
// that peak memory stays near twice the input instead of the three times string doubling can take.
std::string read_all(int fd, std::size_t limit) {
  auto fail = [&](const std::string& why) { throw rp::failure(rp::exit_code::bad_input, why); };
  auto too_large = [&] {
    fail("input is larger than " + std::to_string(rp::max_input_bytes >> 20) + " MiB; refusing to process it");
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

// Standard input as one view: a regular file is mapped (no copy), anything else is read.
class input {
 public:
  input() {
    struct stat st;
    if (::fstat(0, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
      if (static_cast<std::size_t>(st.st_size) > rp::max_input_bytes)
        throw rp::failure(rp::exit_code::bad_input, "input is larger than " + std::to_string(rp::max_input_bytes >> 20) +
                                                        " MiB; refusing to process it");
      void* p = ::mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, 0, 0);
      if (p != MAP_FAILED) {
        map_ = p;
        size_ = static_cast<std::size_t>(st.st_size);
        return;
      }
    }
    text_ = read_all(0, rp::max_input_bytes);
  }
  ~input() {
    if (map_) ::munmap(map_, size_);
  }
  input(const input&) = delete;
  input& operator=(const input&) = delete;
  std::string_view view() const { return map_ ? std::string_view(static_cast<const char*>(map_), size_) : text_; }

 private:
  void* map_ = nullptr;
  std::size_t size_ = 0;
  std::string text_;
};

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

// Writes the output pieces with writev, a batch at a time.
bool write_pieces(int fd, const std::vector<std::string_view>& pieces) {
  std::vector<iovec> iov;
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
}

// Diagnostics go to stderr and, when asked, are appended to a log file (Helm 4 hides stderr).
class reporter {
 public:
  explicit reporter(std::string log_file) : log_file_(std::move(log_file)) {}
  void print(const rp::diagnostic& d) {
    std::string line = rp::format(d) + "\n";
    write_all(2, line);
    lines_ += line;
  }
  void flush_log() {
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

 private:
  std::string log_file_;
  std::string lines_;
};

// --log-file found by hand when the flags do not parse, so that usage errors reach the log too
// (Helm 4 hides stderr).
std::string log_file_in(const std::vector<std::string>& args, std::string fallback) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("--log-file=", 0) == 0) fallback = args[i].substr(11);
    else if (args[i] == "--log-file" && i + 1 < args.size()) fallback = args[i + 1];
  }
  return fallback;
}

int finish(reporter& out, rp::exit_code code) {
  out.flush_log();
  return static_cast<int>(code);
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout must become an error we report, not a silent death
  std::vector<std::string> args(argv + 1, argv + argc);
  const char* env_log = std::getenv("ROLLOUT_PACE_LOG");
  rp::command_line cl;
  try {
    cl = rp::parse_command_line(args);
  } catch (const rp::failure& f) {
    reporter early(log_file_in(args, env_log ? env_log : ""));  // the parse failed: find --log-file by hand
    early.print({rp::diagnostic::level::error, f.what()});
    return finish(early, f.code());
  }
  reporter out(!cl.log_file.empty() ? cl.log_file : env_log ? env_log : "");
  if (cl.what == rp::command_line::action::help) return write_all(1, rp::help_text()) ? 0 : 1;
  if (cl.what == rp::command_line::action::version)
    return write_all(1, "rollout-pace " ROLLOUT_PACE_VERSION "\n") ? 0 : 1;

  std::unique_ptr<input> in;  // declared first, so it outlives r, whose output refers to it
  rp::result r;
  try {
    if (cl.what == rp::command_line::action::flux && !cl.files.empty())
      r = rp::flux_files(cl.files, cl.opts);
    else if (cl.what == rp::command_line::action::flux)
      r = rp::flux_patch(read_all(0, rp::max_input_bytes), cl.opts);
    else if (cl.what == rp::command_line::action::explain) {
      rp::planned_workload w = rp::explain(cl.opts, cl.replicas);
      std::string text = cl.format == "json" ? rp::workload_json(w) + "\n" : w.summary + "\n";
      if (!write_all(1, text)) return finish(out, rp::exit_code::bad_input);
      return finish(out, rp::exit_code::ok);
    } else {
      in = std::make_unique<input>();
      r = rp::rewrite(in->view(), cl.opts);
      if (cl.what == rp::command_line::action::plan && r.code == rp::exit_code::ok) {
        // plan changes nothing: its output is the plan, not the stream.
        std::string text = rp::format_plan(r.plan, rp::parse_plan_format(cl.format));
        for (const auto& d : r.diagnostics) out.print(d);
        if (!write_all(1, text)) return finish(out, rp::exit_code::bad_input);
        return finish(out, rp::exit_code::ok);
      }
    }
  } catch (const rp::failure& f) {
    r.code = f.code();
    r.clear_output();
    r.diagnostics.push_back({rp::diagnostic::level::error, f.what()});
  }
  for (const auto& d : r.diagnostics) out.print(d);
  if (r.code == rp::exit_code::ok && !write_pieces(1, r.pieces())) {
    out.print({rp::diagnostic::level::error, std::string("cannot write standard output: ") + std::strerror(errno)});
    return finish(out, rp::exit_code::bad_input);
  }
  return finish(out, r.code);
}
