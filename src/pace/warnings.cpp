#include "pace/warnings.h"

#include <algorithm>
#include <stdexcept>

#include "base/text.h"

namespace rollout_pace {
namespace {

std::vector<std::string> warning_names() {
  std::vector<std::string> out;
  for (const warning_kind& k : warning_kinds()) out.emplace_back(k.name);
  return out;
}

}  // namespace

std::vector<warning_id> parse_accept(std::string_view list) {
  std::vector<warning_id> out;
  std::size_t begin = 0;
  while (begin <= list.size()) {
    std::size_t end = std::min(list.find(',', begin), list.size());
    std::string_view name = list.substr(begin, end - begin);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!name.empty()) {
      std::optional<warning_id> id = parse_warning_id(name);
      if (!id)
        throw std::invalid_argument(quoted(std::string(name)) + " is not a warning id (" + warning_ids_list() + ")" +
                                    did_you_mean(name, warning_names()));
      out.push_back(*id);
    }
    begin = end + 1;
  }
  return out;
}

diagnostic warning(warning_id id, std::string text, std::optional<resource_ref> about) {
  return {diagnostic::level::warning, std::move(text), id, std::move(about)};
}

bool accepted(const diagnostic& d, const std::vector<warning_id>& everywhere, const std::vector<warning_id>& here) {
  if (d.kind != diagnostic::level::warning || d.id == warning_id::none) return false;
  auto in = [&](const std::vector<warning_id>& ids) { return std::find(ids.begin(), ids.end(), d.id) != ids.end(); };
  return in(everywhere) || in(here);
}

failure strict_failure(const diagnostic& d) {
  if (d.id == warning_id::none) return failure(exit_code::bad_input, d.text + " (--strict)", warning_id::none, d.about);
  return failure(exit_code::bad_input,
                 d.text + " (--strict; --accept " + std::string(name_of(d.id)) +
                     ", or a rollout-pace/accept annotation on the workload, accepts it)",
                 d.id, d.about);
}

void drop_accepted(std::vector<diagnostic>& ds, const std::vector<warning_id>& everywhere,
                   const std::vector<warning_id>& here) {
  ds.erase(std::remove_if(ds.begin(), ds.end(), [&](const diagnostic& d) { return accepted(d, everywhere, here); }),
           ds.end());
}

}  // namespace rollout_pace
