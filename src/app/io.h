#pragma once
// The executable's input and output: standard input (mapped or read), standard output written in
// pieces, and diagnostics on stderr and in the log file.
#include <string>
#include <string_view>
#include <vector>

#include "app/cli.h"
#include "base/diagnostic.h"

namespace rollout_pace {

/// Reads all of fd, refusing more than limit bytes. Throws failure(bad_input). A regular file is read
/// into a buffer of its exact size; a pipe in 1 MiB blocks joined once at the end, so that peak memory
/// stays near twice the input instead of the three times string doubling can take.
std::string read_all(int fd, std::size_t limit);

/// Standard input as one view: a regular file is mapped (no copy), anything else is read. Throws
/// failure(bad_input) over max_input_bytes.
class input {
 public:
  input();
  ~input();
  input(const input&) = delete;
  input& operator=(const input&) = delete;
  std::string_view view() const { return map_ ? std::string_view(static_cast<const char*>(map_), size_) : text_; }

 private:
  void* map_ = nullptr;
  std::size_t size_ = 0;
  std::string text_;
};

/// Writes all of text to fd; false on an error (errno says which).
bool write_all(int fd, const std::string& text);
/// Writes the output pieces with writev, a batch at a time; false on an error.
bool write_pieces(int fd, const std::vector<std::string_view>& pieces);

/// Diagnostics go to stderr and, when asked, are appended to a log file (Helm 4 hides stderr).
/// As a post-renderer (host_captures), each line also goes once to the controlling terminal when
/// there is one and stderr is not it: Helm 4 reads a post-renderer plugin's stderr into a buffer
/// nothing shows, and Helm 3 shows it only when the post-renderer fails. Never into the stream; no
/// terminal (CI, Flux, Argo CD) changes nothing; ROLLOUT_PACE_TTY=off turns it off.
class reporter {
 public:
  explicit reporter(std::string log_file, bool host_captures = false);
  ~reporter();
  reporter(const reporter&) = delete;
  reporter& operator=(const reporter&) = delete;
  void print(const diagnostic& d);
  /// Appends every line printed, each with a UTC time stamp, to the log file.
  void flush_log();

 private:
  std::string log_file_;
  std::string lines_;
  int tty_ = -1;  ///< the controlling terminal, when the lines also go there
};

/// Reads the files the command line names, after it is parsed: the --values files and the
/// --previous release. Throws failure(bad_usage) with a one-line message.
void read_inputs(command_line& cl);

}  // namespace rollout_pace
