#pragma once
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "manifest/options.h"
#include "plan/release_plan.h"

namespace rollout_pace {

/// What rewrite() produced. The output is kept as pieces: views into the input for the documents
/// that did not change (no copy of a large stream), and owned text for those that did. A result
/// refers to its input, so the input must outlive it; it can be moved, not copied.
struct result {
  exit_code code = exit_code::ok;
  std::vector<diagnostic> diagnostics;  ///< warnings, notes, reports; on failure the error is last
  release_plan plan;                    ///< rewrite(): every workload's decision and simulated rollout
  /// Failed only because --strict made warnings errors (each one an error line): the plan is whole.
  bool strict_failed = false;

  /// The output stream's pieces, in order; empty unless code is ok.
  const std::vector<std::string_view>& pieces() const { return pieces_; }
  /// The output stream as one string.
  std::string output() const;
  /// Appends text that outlives the result (the input); joins it to the last piece when adjacent.
  void append(std::string_view text);
  /// Appends text the result keeps.
  void append_owned(std::string text);
  /// Drops the output (on failure).
  void clear_output();
  /// Keeps the input alive as long as the result (for the overloads that take a temporary).
  void keep(std::shared_ptr<const std::string> input) { input_ = std::move(input); }

  result() = default;
  result(result&&) = default;
  result& operator=(result&&) = default;
  result(const result&) = delete;
  result& operator=(const result&) = delete;

 private:
  std::vector<std::string_view> pieces_;
  std::deque<std::string> owned_;  // a deque: moving it keeps the addresses the views point to
  std::shared_ptr<const std::string> input_;
};

/// Runs core on a temporary input that the result then keeps alive (for the std::string&& overloads).
result keeping_input(std::string&& input, result (*core)(std::string_view, const options&), const options& opts);

}  // namespace rollout_pace
