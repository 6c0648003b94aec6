#include "commands/krm.h"

#include "commands/flags.h"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>

#include "base/text.h"
#include "commands/rewrite.h"
#include "yaml/compare.h"
#include "yaml/json_stream.h"
#include "yaml/reader.h"
#include "yaml/scalars.h"
#include "yaml/tree.h"

namespace rollout_pace {
namespace {

constexpr std::string_view resource_list_version = "config.kubernetes.io/v1";
constexpr std::string_view resource_list_beta = "config.kubernetes.io/v1beta1";  // older kpt and kustomize
constexpr std::string_view config_kind = "RolloutPace";

// The resourceRef and file of one item, as kpt names them: all a result needs of it.
struct item_ref {
  std::string api_version, kind, name, ns, path, index;
};

// What the function reads of a ResourceList apart from its items' contents (rewrite() paces those):
// read once, by the reader the post-renderer uses, and the tree dropped before rewrite() reads it.
struct resource_list {
  bool has_items = false;    // the items key is there (the output must have it)
  bool has_results = false;  // results given in: left as they are
  std::vector<item_ref> items;
  std::vector<std::string> config_flags;
  std::optional<failure> config_problem;
};

std::vector<std::string> config_flags_of(const node_view& config);

item_ref item_of(const node_view& item) {
  node_view meta = lookup(item, "metadata").value, notes = lookup(meta, "annotations").value;
  auto annotation = [&](const char* internal, const char* plain) {
    std::string v = scalar_or(lookup(notes, internal).value, "");
    return v.empty() ? scalar_or(lookup(notes, plain).value, "") : v;
  };
  return {scalar_or(lookup(item, "apiVersion").value, ""),
          scalar_or(lookup(item, "kind").value, ""),
          scalar_or(lookup(meta, "name").value, ""),
          scalar_or(lookup(meta, "namespace").value, ""),
          annotation("internal.config.kubernetes.io/path", "config.kubernetes.io/path"),
          annotation("internal.config.kubernetes.io/index", "config.kubernetes.io/index")};
}

// The stream's one ResourceList; nullopt when the stream is not one.
std::optional<resource_list> read_resource_list(std::string_view stream) {
  // Most streams never name the kind: no allocation, no second scan of a large Helm stream.
  if (stream.find("ResourceList") == std::string_view::npos) return std::nullopt;
  try {
    manifest_stream s = read_stream(stream);
    if (s.docs.size() != 1 || (s.docs[0].kind.certain && s.docs[0].kind.kind != "ResourceList")) return std::nullopt;
    parsed_document d = parse_document(s, 0, "a ResourceList", /*fast=*/true);
    node_view root = d.tree();
    std::string version = scalar_or(lookup(root, "apiVersion").value, "");
    if (!root.is_map() || scalar_or(lookup(root, "kind").value, "") != "ResourceList" ||
        (version != resource_list_version && version != resource_list_beta))
      return std::nullopt;
    resource_list list;
    list.has_items = lookup(root, "items").present();
    list.has_results = lookup(root, "results").present();
    node_view items = lookup(root, "items").value;
    if (items.is_sequence()) {
      list.items.reserve(items.size());
      for (std::size_t i = 0; i < items.size(); ++i) list.items.push_back(item_of(items.item(i)));
    }
    try {
      list.config_flags = config_flags_of(lookup(root, "functionConfig").value);
    } catch (const failure& f) {
      list.config_problem = f;
    }
    return list;
  } catch (const std::exception&) {  // not readable: not a function's input (the post-renderer says why)
    return std::nullopt;
  }
}

// The config keys: the flag table's, for fn (commands/flags.h).
std::string known_keys() {
  std::string out;
  for (const flag* f : flags_of(command::fn))
    if (!f->config_key.empty()) out += (out.empty() ? "" : ", ") + f->config_key;
  return out;
}

[[noreturn]] void bad_config(const std::string& at, const std::string& message) {
  throw failure(exit_code::bad_usage, "functionConfig." + at + ": " + message);
}

// One key's value as the flag's value: a scalar, or for a list a sequence of scalars.
std::string config_value(const flag& k, const node_view& v, const std::string& at) {
  if (k.list && v.is_sequence()) {
    std::string joined;
    for (std::size_t i = 0; i < v.size(); ++i) {
      node_view item = v.item(i);
      if (!item.is_scalar()) bad_config(at, "must be a list of names");
      joined += (joined.empty() ? "" : ",") + item.text();
    }
    return joined;
  }
  if (!v.is_scalar()) bad_config(at, "must be a scalar");
  return v.text();
}

// The flags of one map of config keys (a RolloutPace's spec, a ConfigMap's data).
std::vector<std::string> flags_in(const node_view& map, const std::string& at) {
  std::vector<std::string> flags;
  if (!map.defined() || map.is_null()) return flags;
  if (!map.is_map()) bad_config(at, "must be a map");
  for (const auto& [key, f] : fields(map)) {
    const flag* k = nullptr;
    for (const flag* c : flags_of(command::fn))
      if (!c->config_key.empty() && (key == c->config_key || key == c->name)) k = c;
    std::string where = at + "." + key;
    if (!k) bad_config(where, "not a key rollout-pace reads (" + known_keys() + ")");
    if (!f.value.defined() || f.value.is_null()) continue;
    std::string value = config_value(*k, f.value, where);
    if (k->value_name.empty()) {  // a switch: true or false
      std::optional<bool> on = yaml_bool(f.value);
      if (!on && (value == "true" || value == "false")) on = value == "true";  // a ConfigMap's strings
      if (!on) bad_config(where, rollout_pace::quoted(value) + " is not true or false");
      if (*on) flags.push_back("--" + k->name);
      continue;
    }
    flags.push_back("--" + k->name + "=" + value);
  }
  return flags;
}

std::string_view severity(diagnostic::level l) {
  switch (l) {
    case diagnostic::level::error: return "error";
    case diagnostic::level::warning: return "warning";
    case diagnostic::level::note:
    case diagnostic::level::report: break;
  }
  return "info";
}

// The resourceRef and file of an item, as kpt names them.
std::string resource_lines(const item_ref& item) {
  std::string out = "  resourceRef:\n";
  out += "    apiVersion: " + json_string(item.api_version) + "\n";
  out += "    kind: " + json_string(item.kind) + "\n";
  out += "    name: " + json_string(item.name) + "\n";
  if (!item.ns.empty()) out += "    namespace: " + json_string(item.ns) + "\n";
  if (!item.path.empty()) {
    out += "  file:\n    path: " + json_string(item.path) + "\n";
    if (!item.index.empty() && item.index.find_first_not_of("0123456789") == std::string::npos)
      out += "    index: " + item.index + "\n";
  }
  return out;
}

// One result per diagnostic: an item's diagnostic (found by its index, kept as data) names the
// item, and its message is the text without the location.
std::string results_text(const std::vector<diagnostic>& diagnostics, const std::vector<item_ref>& items) {
  std::string out = "results:";
  if (diagnostics.empty()) return out + " []\n";
  out += "\n";
  for (const diagnostic& d : diagnostics) {
    const item_ref* item = d.about && d.about->item && *d.about->item < items.size() ? &items[*d.about->item] : nullptr;
    // A resource inside an item (a List's) keeps its location in the message; the result names the item.
    bool bare = item && !d.about->inside;
    out += "- message: " + json_string(bare ? d.text : d.located()) + "\n  severity: " + std::string(severity(d.kind)) +
           "\n";
    if (item) out += resource_lines(*item);
    if (d.id != warning_id::none)
      out += "  tags:\n    rollout-pace/id: " + json_string(std::string(name_of(d.id))) + "\n";
  }
  return out;
}

// The results as JSON (a flow map's value too): what results_text() says, for a ResourceList written
// in JSON or in flow style.
std::string results_json(const std::vector<diagnostic>& diagnostics, const std::vector<item_ref>& items) {
  using json = nlohmann::ordered_json;
  json out = json::array();
  for (const diagnostic& d : diagnostics) {
    const item_ref* item = d.about && d.about->item && *d.about->item < items.size() ? &items[*d.about->item] : nullptr;
    bool bare = item && !d.about->inside;
    json r{{"message", bare ? d.text : d.located()}, {"severity", std::string(severity(d.kind))}};
    if (item) {
      json ref{{"apiVersion", item->api_version}, {"kind", item->kind}, {"name", item->name}};
      if (!item->ns.empty()) ref["namespace"] = item->ns;
      r["resourceRef"] = std::move(ref);
      if (!item->path.empty()) {
        json file{{"path", item->path}};
        std::uint64_t index = 0;
        const char* end = item->index.data() + item->index.size();
        if (!item->index.empty() && std::from_chars(item->index.data(), end, index).ptr == end) file["index"] = index;
        r["file"] = std::move(file);
      }
    }
    if (d.id != warning_id::none) r["tags"] = json{{"rollout-pace/id", std::string(name_of(d.id))}};
    out.push_back(std::move(r));
  }
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Whether a document's text is one flow map (JSON included): its first content is "{".
bool flow_map(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, end - at);
    std::size_t c = line.find_first_not_of(" \t\r\xEF\xBB\xBF");
    at = end + 1;
    if (c == std::string_view::npos || line[c] == '#' || line[c] == '%' || line.substr(c, 3) == "---") continue;
    return line[c] == '{';
  }
  return false;
}

// A flow map's text with keys (",\"results\":[...]") added before its closing brace; nullopt when
// the text does not end with it (a comment after it: then nothing is added, and the caller says so).
std::optional<std::string> with_flow_keys(std::string text, const std::string& keys) {
  std::size_t close = text.find_last_not_of(" \t\r\n");
  if (close == std::string::npos || text[close] != '}') return std::nullopt;
  return text.insert(close, keys);
}

// The list's text with `results:` as its last top-level key (before a closing "..." line).
std::string with_results(std::string text, const std::string& results) {
  if (!text.empty() && text.back() != '\n') text += '\n';
  std::size_t end = text.size();
  std::size_t last = text.rfind('\n', end >= 2 ? end - 2 : 0);
  std::size_t start = last == std::string::npos ? 0 : last + 1;
  if (text.compare(start, 3, "...") == 0) end = start;
  return text.substr(0, end) + results + text.substr(end);
}

result function_result(std::string_view text, const resource_list* list, const options& opts) {
  result out;
  if (!list) {
    out.code = exit_code::bad_input;
    out.diagnostics.push_back({diagnostic::level::error, "the input is not a ResourceList (" +
                                                             std::string(resource_list_version) + " or v1beta1)"});
    return out;
  }
  result paced = rewrite(text, opts);
  if (list->has_results) {  // left as it is: a key written twice is not YAML
    paced.code = exit_code::bad_input;
    paced.diagnostics.push_back({diagnostic::level::error,
                                 "the ResourceList already holds results; rollout-pace "
                                 "writes its own (kpt and kustomize pass none in)"});
  }
  std::string written = paced.code == exit_code::ok ? paced.output() : std::string(text);
  if (!list->has_results) {
    // The output has items (the spec requires them) and results, in the style the list is written in.
    if (flow_map(written)) {
      std::optional<std::string> with =
          with_flow_keys(written, std::string(list->has_items ? "" : ",\"items\":[]") +
                                      ",\"results\":" + results_json(paced.diagnostics, list->items));
      if (with) {
        written = std::move(*with);
      } else {
        paced.code = exit_code::bad_input;
        paced.diagnostics.push_back({diagnostic::level::error,
                                     "the ResourceList's flow map is followed by a comment, so rollout-pace "
                                     "cannot add its results; remove the comment"});
        written = std::string(text);
      }
    } else {
      written = with_results(std::move(written), std::string(list->has_items ? "" : "items: []\n") +
                                                     results_text(paced.diagnostics, list->items));
    }
  }
  out.code = paced.code;
  out.diagnostics = std::move(paced.diagnostics);
  out.plan = std::move(paced.plan);
  out.append_owned(std::move(written));
  return out;
}

std::vector<std::string> config_flags_of(const node_view& config) {
  if (!config.defined() || config.is_null()) return {};
  if (!config.is_map()) bad_config("", "must be a map");
  std::string kind = scalar_or(lookup(config, "kind").value, "");
  if (kind == config_kind) return flags_in(lookup(config, "spec").value, "spec");
  if (kind == "ConfigMap") return flags_in(lookup(config, "data").value, "data");
  throw failure(exit_code::bad_usage, "functionConfig: a " + rollout_pace::quoted(kind) + "; rollout-pace reads a " +
                                          std::string(config_kind) + " or a ConfigMap");
}

}  // namespace

struct function_input::list_facts : resource_list {};

function_input::function_input(std::string_view text) : text_(text) {
  std::optional<resource_list> l = read_resource_list(text);
  if (!l && text.find("ResourceList") != std::string_view::npos && flow_map(text)) {
    // A ResourceList in flow-style YAML: a Kubernetes stream that starts with "{" is JSON, so the
    // function reads it as YAML and works on it written as JSON, which YAML reads too.
    try {
      YAML::Node root = load_document(text);
      if (root.IsMap()) {
        converted_ = emit_json(root, edit_tree{}) + "\n";
        text_ = converted_;
        l = read_resource_list(text_);
      }
    } catch (const std::exception&) {  // not YAML either: not a function's input
    }
  }
  if (l) list_ = std::make_shared<const list_facts>(list_facts{std::move(*l)});
}

std::vector<std::string> function_input::config_flags() const {
  if (!list_)
    throw failure(exit_code::bad_input,
                  "the input is not a ResourceList (" + std::string(resource_list_version) + " or v1beta1)");
  if (list_->config_problem) throw failure(*list_->config_problem);
  return list_->config_flags;
}

result function_input::run(const options& opts) const {
  try {
    return function_result(text_, list_.get(), opts);
  } catch (const std::exception& e) {  // never let one escape; the tests hold that this never happens
    result out;
    out.code = exit_code::bad_input;
    out.diagnostics.push_back({diagnostic::level::error, std::string("unexpected failure: ") + e.what()});
    return out;
  }
}

bool is_resource_list(std::string_view stream) { return function_input(stream).is_resource_list(); }

std::vector<std::string> function_config_flags(std::string_view resource_list) {
  return function_input(resource_list).config_flags();
}

result krm_function(std::string_view resource_list, const options& opts) {
  return function_input(resource_list).run(opts);
}

}  // namespace rollout_pace
