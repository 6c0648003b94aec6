#include "commands/krm.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <optional>

#include "base/text.h"
#include "commands/rewrite.h"
#include "yaml/reader.h"
#include "yaml/tree.h"

namespace rollout_pace {
namespace {

constexpr std::string_view resource_list_version = "config.kubernetes.io/v1";
constexpr std::string_view config_kind = "RolloutPace";

// The one document of a ResourceList stream, parsed; nullopt when the stream is not one.
std::optional<YAML::Node> resource_list_root(std::string_view stream) {
  // Most streams never name the kind: no allocation, no second scan of a large Helm stream.
  if (stream.find("ResourceList") == std::string_view::npos) return std::nullopt;
  try {
    manifest_stream s = read_stream(stream);
    if (s.docs.size() != 1 || (s.docs[0].kind.certain && s.docs[0].kind.kind != "ResourceList")) return std::nullopt;
    YAML::Node root = load_document(s.docs[0].text);
    if (!root.IsMap() || scalar_or(lookup(root, "kind").value, "") != "ResourceList" ||
        scalar_or(lookup(root, "apiVersion").value, "") != resource_list_version)
      return std::nullopt;
    return root;
  } catch (const std::exception&) {  // not readable: not a function's input (the post-renderer says why)
    return std::nullopt;
  }
}

// One config key and the flag it is: a value, a switch (true or false), or a list (comma-joined).
struct config_key {
  std::string_view camel, flag;
  enum class shape { value, boolean, list } is = shape::value;
};

constexpr std::array<config_key, 15> config_keys{{
    {"profile", "profile"},
    {"maxSurge", "max-surge"},
    {"maxUnavailable", "max-unavailable"},
    {"minReadySeconds", "min-ready-seconds"},
    {"environment", "environment"},
    {"change", "change"},
    {"strict", "strict", config_key::shape::boolean},
    {"accept", "accept", config_key::shape::list},
    {"timeout", "timeout"},
    {"kubeVersion", "kube-version"},
    {"kinds", "kinds", config_key::shape::list},
    {"includeHooks", "include-hooks", config_key::shape::boolean},
    {"podStartup", "pod-startup"},
    {"nodes", "nodes"},
    {"report", "report", config_key::shape::boolean},
}};

std::string known_keys() {
  std::string out;
  for (const config_key& k : config_keys) out += (out.empty() ? "" : ", ") + std::string(k.camel);
  return out;
}

[[noreturn]] void bad_config(const std::string& at, const std::string& message) {
  throw failure(exit_code::bad_usage, "functionConfig." + at + ": " + message);
}

// One key's value as the flag's value: a scalar, or for a list a sequence of scalars.
std::string config_value(const config_key& k, const YAML::Node& v, const std::string& at) {
  if (k.is == config_key::shape::list && v.IsSequence()) {
    std::string joined;
    for (const YAML::Node& item : v) {
      if (!item.IsScalar()) bad_config(at, "must be a list of names");
      joined += (joined.empty() ? "" : ",") + item.Scalar();
    }
    return joined;
  }
  if (!v.IsScalar()) bad_config(at, "must be a scalar");
  return v.Scalar();
}

// The flags of one map of config keys (a RolloutPace's spec, a ConfigMap's data).
std::vector<std::string> flags_of(const YAML::Node& map, const std::string& at) {
  std::vector<std::string> flags;
  if (!map.IsDefined() || map.IsNull()) return flags;
  if (!map.IsMap()) bad_config(at, "must be a map");
  for (const auto& [key, f] : fields(map)) {
    const config_key* k = nullptr;
    for (const config_key& c : config_keys)
      if (key == c.camel || key == c.flag) k = &c;
    std::string where = at + "." + key;
    if (!k) bad_config(where, "not a key rollout-pace reads (" + known_keys() + ")");
    if (f.value.IsNull()) continue;
    std::string value = config_value(*k, f.value, where);
    if (k->is == config_key::shape::boolean) {
      std::optional<bool> on = yaml_bool(f.value);
      if (!on && (value == "true" || value == "false")) on = value == "true";  // a ConfigMap's strings
      if (!on) bad_config(where, quoted(value) + " is not true or false");
      if (*on) flags.push_back("--" + std::string(k->flag));
      continue;
    }
    flags.push_back("--" + std::string(k->flag) + "=" + value);
  }
  return flags;
}

// Which resource of the list a diagnostic is about, the message without its location, and the
// warning id an error made of a warning under --strict starts with ("[timeout] document 1 ..."). A
// location names the item as "(Kind ns/name at items[i]" (or, for a release-wide warning, "(Kind
// ns/name" then ")" or ","): each item's own spelling is looked for, so no name, however written,
// can make the reading fail.
struct subject {
  std::optional<std::size_t> item;
  std::string message, id;
};

subject subject_of(const std::string& text, const YAML::Node& items) {
  subject s{std::nullopt, text, ""};
  std::size_t body = 0;
  if (text.size() > 2 && text[0] == '[') {
    std::size_t end = text.find("] ");
    if (end != std::string::npos) {
      s.id = text.substr(1, end - 1);
      body = end + 2;
      s.message = text.substr(body);
    }
  }
  if (text.compare(body, 9, "document ") != 0 || !items.IsSequence()) return s;
  std::optional<std::size_t> named;  // a release-wide warning's workload, by kind and name alone
  std::size_t at = std::string::npos;
  for (std::size_t i = 0; i < items.size() && !s.item; ++i) {
    YAML::Node meta = lookup(items[i], "metadata").value;
    std::string ns = scalar_or(lookup(meta, "namespace").value, "");
    std::string base = "(" + scalar_or(lookup(items[i], "kind").value, "") + " " + (ns.empty() ? "" : ns + "/") +
                       scalar_or(lookup(meta, "name").value, "");
    std::string item_at = base + " at items[" + std::to_string(i) + "]";
    if (std::size_t p = text.find(item_at, body); p != std::string::npos) {
      s.item = i;
      at = p + item_at.size();  // the message starts after the location, whatever the name holds
    } else if (!named) {
      for (const char* end : {")", ","})
        if (std::size_t q = text.find(base + end, body); q != std::string::npos && !named) {
          named = i;
          at = q + base.size();
        }
    }
  }
  if (!s.item) s.item = named;
  if (s.item) {
    std::size_t close = text.find("): ", at);
    if (close != std::string::npos) s.message = text.substr(close + 3);
  }
  return s;
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

// The resourceRef and file of item i, as kpt names them.
std::string resource_lines(const YAML::Node& item) {
  YAML::Node meta = lookup(item, "metadata").value, notes = lookup(meta, "annotations").value;
  std::string out = "  resourceRef:\n";
  for (const char* key : {"apiVersion", "kind"})
    out += "    " + std::string(key) + ": " + json_string(scalar_or(lookup(item, key).value, "")) + "\n";
  out += "    name: " + json_string(scalar_or(lookup(meta, "name").value, "")) + "\n";
  if (std::string ns = scalar_or(lookup(meta, "namespace").value, ""); !ns.empty())
    out += "    namespace: " + json_string(ns) + "\n";
  auto annotation = [&](const char* internal, const char* plain) {
    std::string v = scalar_or(lookup(notes, internal).value, "");
    return v.empty() ? scalar_or(lookup(notes, plain).value, "") : v;
  };
  std::string path = annotation("internal.config.kubernetes.io/path", "config.kubernetes.io/path");
  std::string index = annotation("internal.config.kubernetes.io/index", "config.kubernetes.io/index");
  if (!path.empty()) {
    out += "  file:\n    path: " + json_string(path) + "\n";
    if (!index.empty() && index.find_first_not_of("0123456789") == std::string::npos)
      out += "    index: " + index + "\n";
  }
  return out;
}

std::string results_text(const std::vector<diagnostic>& diagnostics, const YAML::Node& items) {
  std::string out = "results:";
  if (diagnostics.empty()) return out + " []\n";
  out += "\n";
  for (const diagnostic& d : diagnostics) {
    subject s = subject_of(d.text, items);
    bool known = s.item && items.IsSequence() && *s.item < items.size();
    out += "- message: " + json_string(known ? s.message : d.text) + "\n  severity: " + std::string(severity(d.kind)) +
           "\n";
    if (known) out += resource_lines(items[*s.item]);
    std::string id = d.id.empty() ? s.id : d.id;
    if (!id.empty()) out += "  tags:\n    rollout-pace/id: " + json_string(id) + "\n";
  }
  return out;
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

result function_result(std::string_view resource_list, const options& opts) {
  result out;
  std::optional<YAML::Node> root = resource_list_root(resource_list);
  if (!root) {
    out.code = exit_code::bad_input;
    out.diagnostics.push_back(
        {diagnostic::level::error, "the input is not a ResourceList (" + std::string(resource_list_version) + ")"});
    return out;
  }
  YAML::Node items = lookup(*root, "items").value;
  result paced = rewrite(resource_list, opts);
  std::string text;
  if (lookup(*root, "results").present()) {  // left as it is: a key written twice is not YAML
    paced.code = exit_code::bad_input;
    paced.diagnostics.push_back({diagnostic::level::error,
                                 "the ResourceList already holds results; rollout-pace "
                                 "writes its own (kpt and kustomize pass none in)"});
  }
  if (root->Style() != YAML::EmitterStyle::Block) {
    paced.code = exit_code::bad_input;
    paced.diagnostics.push_back(
        {diagnostic::level::error, "the ResourceList is not a block-style YAML map (kpt and kustomize write one)"});
  }
  text = paced.code == exit_code::ok ? paced.output() : std::string(resource_list);
  if (root->Style() == YAML::EmitterStyle::Block && !lookup(*root, "results").present())
    text = with_results(std::move(text), results_text(paced.diagnostics, items));
  out.code = paced.code;
  out.diagnostics = std::move(paced.diagnostics);
  out.plan = std::move(paced.plan);
  out.append_owned(std::move(text));
  return out;
}

}  // namespace

bool is_resource_list(std::string_view stream) { return resource_list_root(stream).has_value(); }

std::vector<std::string> function_config_flags(std::string_view resource_list) {
  std::optional<YAML::Node> root = resource_list_root(resource_list);
  if (!root)
    throw failure(exit_code::bad_input, "the input is not a ResourceList (" + std::string(resource_list_version) + ")");
  YAML::Node config = lookup(*root, "functionConfig").value;
  if (!config.IsDefined() || config.IsNull()) return {};
  if (!config.IsMap()) bad_config("", "must be a map");
  std::string kind = scalar_or(lookup(config, "kind").value, "");
  if (kind == config_kind) return flags_of(lookup(config, "spec").value, "spec");
  if (kind == "ConfigMap") return flags_of(lookup(config, "data").value, "data");
  throw failure(exit_code::bad_usage, "functionConfig: a " + quoted(kind) + "; rollout-pace reads a " +
                                          std::string(config_kind) + " or a ConfigMap");
}

result krm_function(std::string_view resource_list, const options& opts) {
  try {
    return function_result(resource_list, opts);
  } catch (const std::exception& e) {  // never let one escape; the tests hold that this never happens
    result out;
    out.code = exit_code::bad_input;
    out.diagnostics.push_back({diagnostic::level::error, std::string("unexpected failure: ") + e.what()});
    return out;
  }
}

}  // namespace rollout_pace
