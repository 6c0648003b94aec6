#pragma once
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/warning_id.h"

namespace rollout_pace {

/// The process exit codes; stable, documented in docs/exit-codes.md.
enum class exit_code : int {
  ok = 0,
  bad_input = 1,  ///< the stream (or an annotation in it) cannot be processed safely
  bad_usage = 2,  ///< flags or values files are wrong
};

/// The resource a diagnostic is about, as data: every form (the stderr line, a KRM result) is
/// rendered from it, and nothing reads it back from a message's text.
struct resource_ref {
  std::size_t document = 0;         ///< 1-based index in the stream
  std::string kind, ns, name;       ///< kind, metadata.namespace and metadata.name
  std::string at;                   ///< "" for a document that is the resource, "items[2]" inside a List
  std::optional<std::size_t> item;  ///< 2 for items[2] (and for items[2].items[0]: inside is true)
  bool inside = false;              ///< the resource is inside that item (a List among a List's items)
  std::string source;               ///< the template it came from (Helm's "# Source:" line), if known
  /// "document 7 (DaemonSet shop/agent at items[2], from web/templates/agent.yaml)"
  std::string where() const;
};

/// One line for stderr (and the log file).
struct diagnostic {
  enum class level { error, warning, note, report };
  level kind;
  std::string text;                  ///< the message, without the "rollout-pace: <level>: " prefix; located by `about`
                                     ///< when that is set, else in its own words ("document 3, line 4: ...")
  warning_id id = warning_id::none;  ///< a warning's stable id (base/warning_id.h), shown as "[id]" before the text
  std::optional<resource_ref> about{};  ///< the resource it is about
  /// The text with its location: "document 3 (Deployment web): ..." when about is set.
  std::string located() const { return about ? about->where() + ": " + text : text; }
};

/// A failure reported as one line; carries the exit code it maps to, and like a diagnostic the
/// warning id (an error made of a warning under --strict) and the resource it is about.
class failure : public std::runtime_error {
 public:
  failure(exit_code code, const std::string& message) : std::runtime_error(message), code_(code), message_(message) {}
  failure(exit_code code, const std::string& message, warning_id id, std::optional<resource_ref> about)
      : std::runtime_error(line_of(message, id, about)),
        code_(code),
        message_(message),
        id_(id),
        about_(std::move(about)) {}
  exit_code code() const { return code_; }
  /// The error as a diagnostic, its id and resource kept.
  diagnostic as_error() const { return {diagnostic::level::error, message_, id_, about_}; }

 private:
  static std::string line_of(const std::string& message, warning_id id, const std::optional<resource_ref>& about) {
    std::string located = about ? about->where() + ": " + message : message;
    return id == warning_id::none ? located : "[" + std::string(name_of(id)) + "] " + located;
  }
  exit_code code_;
  std::string message_;
  warning_id id_ = warning_id::none;
  std::optional<resource_ref> about_;
};

/// "rollout-pace: warning: [cannot-surge] document 3 (...): ..." for a diagnostic, always one line: control
/// characters that came from the input (a name, a value) are escaped, and a line longer than
/// 4 KiB is cut with "...".
std::string format(const diagnostic& d);

}  // namespace rollout_pace
