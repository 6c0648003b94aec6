#include "commands/argocd.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <regex>

#include "base/diagnostic.h"
#include "base/files.h"
#include "base/text.h"
#include "yaml/reader.h"
#include "yaml/tree.h"

namespace rollout_pace {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view prefix = "ARGOCD_ENV_";

[[noreturn]] void refuse(const std::string& what, const std::string& why) {
  throw failure(exit_code::bad_usage, what + ": " + why);
}

// One setting an Application may give: its name after ARGOCD_ENV_, the characters and length its
// value may have ("" chars: any printable, no control character), and what it takes, for messages.
struct setting {
  std::string_view name, chars;
  std::size_t max;
  std::string_view takes;
};

constexpr std::string_view letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view ids = "abcdefghijklmnopqrstuvwxyz0123456789-,";
constexpr std::string_view keys = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";
constexpr std::string_view versions = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.+~^<>=*, |-";
constexpr std::string_view kube_chars = "v0123456789.-+abcdefghijklmnopqrstuwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

constexpr std::array<setting, 10> helm_settings{{
    {"PROFILE", letters, 20, "a profile name"},
    {"ENVIRONMENT", letters, 10, "TEST, ACC or PROD"},
    {"CHANGE", letters, 10, "major, minor or patch"},
    {"ACCEPT", ids, 1024, "warning ids, comma-separated"},
    {"STRICT", letters, 5, "true or false"},
    {"VALUES_KEY", keys, 63, "a values key"},
    {"VALUES", "", 4096, "values files in the application's folder, comma-separated"},
    {"SET", "", 4096, "helm --set values"},
    {"CHART_VERSION", versions, 128, "a chart version or range"},
    {"KUBE_VERSION", kube_chars, 64, "a Kubernetes version (1.X or 1.X.Y)"},
}};

std::string names_of(const std::array<setting, 10>& all) {
  std::string out;
  for (const setting& s : all) out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

// Whether value has only the characters given ("": any but control characters) and fits in max.
bool made_of(const std::string& value, std::string_view chars, std::size_t max) {
  if (value.size() > max) return false;
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (chars.empty() ? (u < 0x20 || u == 0x7F) : chars.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool kube_version(const std::string& v) {
  return std::regex_match(v, std::regex("v?[0-9]+\\.[0-9]+(\\.[0-9]+)?([-+][A-Za-z0-9.+-]*)?"));
}

// The Application's settings: every ARGOCD_ENV_ variable, each on the list and as its setting takes.
std::map<std::string, std::string> helm_settings_of(const environment& env) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : env) {
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string key = name.substr(prefix.size());
    auto s = std::find_if(helm_settings.begin(), helm_settings.end(), [&](const setting& x) { return x.name == key; });
    if (s == helm_settings.end())
      refuse(name, "not a setting of rollout-pace-helm, which takes " + names_of(helm_settings) +
                       " (settings, never command lines: see docs/security.md)");
    if (value.empty()) continue;
    bool fits = made_of(value, s->chars, s->max) && (key != "STRICT" || value == "true" || value == "false") &&
                (key != "KUBE_VERSION" || kube_version(value));
    if (!fits) refuse(name, rollout_pace::quoted(value) + " is not " + std::string(s->takes));
    out[key] = value;
  }
  return out;
}

// A path the Application names: relative, and inside the application's folder once every symlink is
// resolved.
std::string inside(const fs::path& app_dir, const std::string& name, const std::string& what) {
  fs::path p(name);
  if (p.is_absolute() || name.find("..") != std::string::npos || name[0] == '-')
    refuse(what, rollout_pace::quoted(name) + " is not a relative path inside the application's folder");
  std::error_code ec;
  fs::path real = fs::canonical(app_dir / p, ec), root = fs::canonical(app_dir);
  if (ec || !fs::is_regular_file(real))
    refuse(what, rollout_pace::quoted(name) + " is not a file in the application's folder");
  auto [r, _] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  if (r != root.end()) refuse(what, rollout_pace::quoted(name) + " leads outside the application's folder");
  return p.lexically_normal().string();
}

// One of Argo CD's own variables, checked as the settings are ("" when unset).
std::string argo_variable(const environment& env, const std::string& name, std::string_view chars, std::size_t max) {
  auto it = env.find(name);
  if (it == env.end() || it->second.empty()) return "";
  const std::string& v = it->second;
  if (!made_of(v, chars, max) || v[0] == '-' || v[0] == '.' || (name == "KUBE_VERSION" && !kube_version(v)))
    refuse(name, rollout_pace::quoted(v) + " is not what Argo CD sets");
  return v;
}

// "v1.36.1+k3s1" -> "1.36.1", as helm and rollout-pace take it.
std::string plain_version(std::string v) {
  if (!v.empty() && v[0] == 'v') v.erase(0, 1);
  return v.substr(0, v.find_first_of("-+"));
}

}  // namespace

argocd_helm_plan plan_argocd_helm(const environment& env, const fs::path& app_dir) {
  std::map<std::string, std::string> s = helm_settings_of(env);
  constexpr std::string_view dns = "abcdefghijklmnopqrstuvwxyz0123456789-.";
  std::string name = argo_variable(env, "ARGOCD_APP_NAME", dns, 53);
  std::string ns = argo_variable(env, "ARGOCD_APP_NAMESPACE", dns, 63);
  if (name.empty()) refuse("ARGOCD_APP_NAME", "not set (Argo CD sets it)");
  std::string kube = s.count("KUBE_VERSION") ? s["KUBE_VERSION"] : argo_variable(env, "KUBE_VERSION", kube_chars, 64);
  std::string apis = argo_variable(env, "KUBE_API_VERSIONS", std::string(keys) + "/,", 1 << 16);
  if (s.count("SET") && std::regex_search(s["SET"], std::regex("(^|,) *(deploymentStrategy|customStrategy)[.=[]")))
    refuse("ARGOCD_ENV_SET", "rollout-pace's own values keys are set by PROFILE (or a values file), not --set");
  argocd_helm_plan plan;
  plan.helm = {"helm", "template", name, "."};
  if (!ns.empty()) plan.helm.push_back("--namespace=" + ns);
  if (!kube.empty()) {
    plan.helm.push_back("--kube-version=" + plain_version(kube));
    plan.pace.push_back("--kube-version=" + plain_version(kube));
  }
  if (!apis.empty()) plan.helm.push_back("--api-versions=" + apis);
  if (s.count("VALUES")) {
    std::string list = s["VALUES"];
    for (std::size_t at = 0; at <= list.size();) {
      std::size_t comma = std::min(list.find(',', at), list.size());
      std::string file = inside(app_dir, list.substr(at, comma - at), "ARGOCD_ENV_VALUES");
      plan.helm.push_back("--values=" + file);
      plan.pace.push_back("--values=" + file);
      at = comma + 1;
    }
  }
  if (s.count("SET")) plan.helm.push_back("--set=" + s["SET"]);
  if (s.count("CHART_VERSION")) plan.helm.push_back("--version=" + s["CHART_VERSION"]);
  for (const char* key : {"PROFILE", "ENVIRONMENT", "CHANGE", "VALUES_KEY", "ACCEPT"})
    if (s.count(key)) {
      std::string flag(key);
      std::transform(flag.begin(), flag.end(), flag.begin(), [](char c) { return c == '_' ? '-' : c | 0x20; });
      plan.pace.push_back("--" + flag + "=" + s[key]);
    }
  if (s.count("STRICT") && s["STRICT"] == "true") plan.pace.push_back("--strict");
  return plan;
}

namespace {

// The function a Kptfile's pipeline entry names, if it is rollout-pace: `exec: rollout-pace` (a
// path to it, optionally with "fn") or an image named rollout-pace.
bool is_rollout_pace(const YAML::Node& fn) {
  auto scalar = [&](const char* key) { return fn[key] && fn[key].IsScalar() ? fn[key].Scalar() : std::string(); };
  auto base = [](std::string s) {  // "ghcr.io/x/rollout-pace:v1@sha256:..." -> "rollout-pace"
    s = s.substr(0, s.find('@'));
    std::size_t slash = s.rfind('/');
    s = slash == std::string::npos ? s : s.substr(slash + 1);
    return s.substr(0, s.find(':'));
  };
  std::vector<std::string> words;
  std::string exec = scalar("exec");
  for (std::size_t at = 0; at < exec.size();) {
    std::size_t end = std::min(exec.find(' ', at), exec.size());
    if (end > at) words.push_back(exec.substr(at, end - at));
    at = end + 1;
  }
  if (!words.empty())
    return base(words[0]) == "rollout-pace" && (words.size() == 1 || (words.size() == 2 && words[1] == "fn"));
  return base(scalar("image")) == "rollout-pace";
}

// A Kptfile's pipeline functions (mutators, then validators).
std::vector<YAML::Node> pipeline_of(const fs::path& package_dir, const fs::path& kptfile_path) {
  const fs::path kptfile = fs::relative(kptfile_path, package_dir);
  std::string text = read_file(kptfile_path.string());
  YAML::Node root;
  try {
    root = load_document(text);
  } catch (const std::exception& e) {
    refuse(kptfile.string(), std::string("cannot read it: ") + e.what());
  }
  std::vector<YAML::Node> out;
  YAML::Node pipeline = root.IsMap() ? root["pipeline"] : YAML::Node();
  if (!pipeline || pipeline.IsNull()) return out;
  if (!pipeline.IsMap()) refuse(kptfile.string(), "pipeline is not a map");
  for (const char* list : {"mutators", "validators"}) {
    YAML::Node fns = pipeline[list];
    if (!fns || fns.IsNull()) continue;
    if (!fns.IsSequence()) refuse(kptfile.string(), std::string("pipeline.") + list + " is not a list");
    for (const YAML::Node& fn : fns) {
      if (!fn.IsMap() || !is_rollout_pace(fn))
        refuse(kptfile.string(), std::string("pipeline.") + list +
                                     " runs a function that is not rollout-pace; rollout-pace-kpt runs rollout-pace "
                                     "alone, never what a repository names (docs/security.md)");
      for (const char* unsupported : {"selectors", "exclude"})
        if (fn[unsupported])
          refuse(kptfile.string(), std::string(unsupported) + " is not supported by rollout-pace-kpt");
      out.push_back(fn);
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> plan_argocd_kpt(const environment& env, const fs::path& package_dir, const std::string& self) {
  for (const auto& entry : env)
    if (entry.first.compare(0, prefix.size(), prefix) == 0)
      refuse(entry.first,
             "rollout-pace-kpt takes no settings from the Application: the package's RolloutPace "
             "config sets the pace");
  if (!fs::is_regular_file(package_dir / "Kptfile")) refuse("Kptfile", "not found in the application's folder");
  std::vector<YAML::Node> fns = pipeline_of(package_dir, package_dir / "Kptfile");
  if (fns.size() != 1)
    refuse("Kptfile", fns.empty() ? "its pipeline runs no rollout-pace function"
                                  : "its pipeline runs rollout-pace more than once; rollout-pace-kpt runs it once");
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(package_dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->path().filename() == "Kptfile" && it->path().parent_path() != package_dir &&
        !pipeline_of(package_dir, it->path()).empty())
      refuse(fs::relative(it->path(), package_dir).string(),
             "a subpackage's pipeline; rollout-pace-kpt runs one rollout-pace function on the package");
  std::vector<std::string> argv{"kpt", "fn", "eval", ".", "--exec=" + self, "--output=unwrap"};
  const YAML::Node& fn = fns[0];
  if (fn["configPath"])
    argv.push_back("--fn-config=" + inside(package_dir, fn["configPath"].as<std::string>(""), "Kptfile configPath"));
  if (YAML::Node map = fn["configMap"]; map && map.IsMap()) {
    argv.push_back("--");
    for (auto kv : map) argv.push_back(kv.first.as<std::string>("") + "=" + kv.second.as<std::string>(""));
  }
  return argv;
}

std::string without_local_config(std::string_view stream) {
  manifest_stream s = read_stream(stream);
  std::string out;
  for (std::size_t i = 0; i < s.docs.size(); ++i) {
    parsed_document d = parse_document(s, i, "a resource");
    node_view root = d.tree();
    if (!root.is_map()) continue;
    node_view notes = lookup(lookup(root, "metadata").value, "annotations").value;
    if (scalar_or(lookup(root, "kind").value, "") == "Kptfile" ||
        scalar_or(lookup(notes, "config.kubernetes.io/local-config").value, "") == "true")
      continue;
    std::string_view text = s.docs[i].text;
    if (text.compare(0, 3, "---") == 0) text.remove_prefix(std::min(text.size(), text.find('\n') + 1));
    out += (out.empty() ? "" : "---\n") + std::string(text);
    if (!out.empty() && out.back() != '\n') out += '\n';
  }
  return out;
}

}  // namespace rollout_pace
