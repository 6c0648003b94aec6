#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace rollout_pace {

/// The process exit codes; stable, documented in the README.
enum class exit_code : int {
  ok = 0,
  bad_input = 1,  ///< the stream (or an annotation in it) cannot be processed safely
  bad_usage = 2,  ///< flags or values files are wrong
};

/// A failure reported as one line; carries the exit code it maps to.
class failure : public std::runtime_error {
 public:
  failure(exit_code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  exit_code code() const { return code_; }

 private:
  exit_code code_;
};

/// One line for stderr (and the log file).
struct diagnostic {
  enum class level { error, warning, note, report };
  level kind;
  std::string text;  ///< located message without the "rollout-pace: <level>: " prefix
  std::string id{};  ///< a warning's stable id (pace/warnings.h), shown as "[id]" before the text
};

/// "rollout-pace: warning: [cannot-surge] document 3 (...): ..." for a diagnostic, always one line: control
/// characters that came from the input (a name, a value) are escaped, and a line longer than
/// 4 KiB is cut with "...".
std::string format(const diagnostic& d);

}  // namespace rollout_pace
