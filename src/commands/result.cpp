#include "commands/result.h"

namespace rollout_pace {

std::string result::output() const {
  std::size_t n = 0;
  for (auto p : pieces_) n += p.size();
  std::string out;
  out.reserve(n);
  for (auto p : pieces_) out.append(p);
  return out;
}

void result::append(std::string_view text) {
  if (text.empty()) return;
  if (!pieces_.empty() && pieces_.back().data() + pieces_.back().size() == text.data())
    pieces_.back() = std::string_view(pieces_.back().data(), pieces_.back().size() + text.size());
  else
    pieces_.push_back(text);
}

void result::append_owned(std::string text) {
  owned_.push_back(std::move(text));
  if (!owned_.back().empty()) pieces_.push_back(owned_.back());
}

void result::clear_output() {
  pieces_.clear();
  owned_.clear();
}

result keeping_input(std::string&& input, result (*core)(std::string_view, const options&), const options& opts) {
  auto kept = std::make_shared<const std::string>(std::move(input));
  result r = core(std::string_view(*kept), opts);
  r.keep(std::move(kept));
  return r;
}

}  // namespace rollout_pace
