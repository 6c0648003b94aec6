#include "manifest/change.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "base/diagnostic.h"
#include "manifest/workload.h"
#include "yaml/compare.h"
#include "yaml/reader.h"
#include "yaml/tree.h"

namespace rollout_pace {
namespace {

struct version {
  std::array<unsigned long long, 3> parts{0, 0, 0};
  std::string suffix;
};

// v1, 1.2, V1.2.3, 1.2.3-rc.1, 1.2.3+build; nullopt for latest, main, sha-1a2b3c, 1.2.3.4.
std::optional<version> read_version(std::string_view tag) {
  std::size_t i = 0;
  if (i < tag.size() && (tag[i] == 'v' || tag[i] == 'V')) ++i;
  version v;
  std::size_t n = 0;
  while (true) {
    std::size_t start = i;
    while (i < tag.size() && std::isdigit(static_cast<unsigned char>(tag[i]))) ++i;
    if (i == start || i - start > 18) return std::nullopt;
    v.parts[n++] = std::stoull(std::string(tag.substr(start, i - start)));
    if (i < tag.size() && tag[i] == '.' && n < 3) {
      ++i;
      continue;
    }
    break;
  }
  if (i < tag.size()) {
    if (tag[i] != '-' && tag[i] != '+') return std::nullopt;
    if (i + 1 == tag.size()) return std::nullopt;
    v.suffix = std::string(tag.substr(i));
  }
  return v;
}

std::string text_of(const YAML::Node& map, std::string_view key) {
  try {
    return scalar_or(lookup(map, key).value, "");
  } catch (const yaml_error&) {
    return "";
  }
}

YAML::Node at(const YAML::Node& n, std::initializer_list<const char*> path) {
  YAML::Node cur(n);
  try {
    for (const char* k : path) {
      YAML::Node next = lookup(cur, k).value;
      cur.reset(next);
    }
  } catch (const yaml_error&) {
    return YAML::Node(YAML::NodeType::Undefined);
  }
  return cur;
}

// Containers and init containers by name, with their images.
std::vector<std::pair<std::string, std::string>> images(const YAML::Node& workload) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* list : {"initContainers", "containers"}) {
    YAML::Node cs = at(workload, {"spec", "template", "spec", list});
    if (!cs.IsSequence()) continue;
    for (auto it = cs.begin(); it != cs.end(); ++it)
      out.emplace_back((std::string(list) == "initContainers" ? "init container " : "") + text_of(*it, "name"),
                       text_of(*it, "image"));
  }
  return out;
}

std::string version_label(const YAML::Node& workload) {
  std::string v = text_of(at(workload, {"metadata", "labels"}), "app.kubernetes.io/version");
  if (v.empty()) v = text_of(at(workload, {"spec", "template", "metadata", "labels"}), "app.kubernetes.io/version");
  return v;
}

void take_larger(change& c, change_kind k, const std::string& why) {
  if (static_cast<int>(k) > static_cast<int>(c.kind)) c = {k, std::string(display_name(k)) + ": " + why};
}

}  // namespace

image_ref parse_image(std::string_view image) {
  image_ref r;
  std::size_t at_sign = image.find('@');
  if (at_sign != std::string_view::npos) {
    r.digest = std::string(image.substr(at_sign + 1));
    image = image.substr(0, at_sign);
  }
  // The domain, as ParseNormalizedNamed (distribution/reference) splits it: the first component
  // when it holds a '.' or a ':', is "localhost", or is not lower case; else docker.io.
  std::string domain = "docker.io";
  std::size_t first = image.find('/');
  if (first != std::string_view::npos) {
    std::string_view head = image.substr(0, first);
    bool lower = std::none_of(head.begin(), head.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (head.find_first_of(".:") != std::string_view::npos || head == "localhost" || !lower) {
      domain = std::string(head);
      image = image.substr(first + 1);
    }
  }
  if (domain == "index.docker.io") domain = "docker.io";
  std::size_t slash = image.rfind('/');
  std::size_t colon = image.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    r.tag = std::string(image.substr(colon + 1));
    image = image.substr(0, colon);
  }
  std::string path(image);
  if (domain == "docker.io" && path.find('/') == std::string::npos) path = "library/" + path;
  r.repository = domain + "/" + path;
  return r;
}

change_kind classify_tags(std::string_view before, std::string_view after) {
  if (before == after) return change_kind::none;
  auto a = read_version(before), b = read_version(after);
  if (!a || !b) return change_kind::major;  // not a version: the safe side
  for (std::size_t i = 0; i < 3; ++i) {
    if (a->parts[i] == b->parts[i]) continue;
    if (i == 0) return change_kind::major;
    if (i == 1) return a->parts[0] == 0 && b->parts[0] == 0 ? change_kind::major : change_kind::minor;  // 0.y.z
    return change_kind::patch;
  }
  return change_kind::minor;  // the same numbers, another suffix (1.2.3-rc.1 -> 1.2.3)
}

change classify_images(const std::string& container, std::string_view before, std::string_view after) {
  change c;
  if (before == after) return c;
  image_ref a = parse_image(before), b = parse_image(after);
  // What a tag pulls: none given pulls latest, unless a digest alone names the image.
  auto tag_of = [](const image_ref& r) { return !r.tag.empty() ? r.tag : r.digest.empty() ? "latest" : ""; };
  std::string tag_a = tag_of(a), tag_b = tag_of(b);
  std::string what = container + " " + std::string(before) + " -> " + std::string(after);
  if (a.repository != b.repository) {
    take_larger(c, change_kind::major, what + " (another image)");
  } else if (tag_a != tag_b) {
    if (tag_a.empty() || tag_b.empty())
      take_larger(c, change_kind::major, what + " (a digest against a tag: no version to compare)");
    else
      take_larger(c, classify_tags(tag_a, tag_b), container + " " + tag_a + " -> " + tag_b);
  } else if (a.digest != b.digest) {
    // The same tag, another digest: a patch under a version tag; under latest, main or no tag at all
    // nothing says how much changed, so the safe side.
    if (!tag_a.empty() && read_version(tag_a))
      take_larger(c, change_kind::patch, container + " " + tag_a + ", only the digest changed");
    else
      take_larger(c, change_kind::major,
                  tag_a.empty() ? what + " (only a digest names it: no version to compare)"
                                : container + " " + tag_a + ", another digest under a tag that is not a version");
  }
  return c;
}

change classify_workload(const YAML::Node& before, const YAML::Node& after) {
  change c;
  // Only the pod template replaces pods: unchanged as Kubernetes reads it, nothing rolls, whatever the
  // workload's own labels say.
  YAML::Node ta = at(before, {"spec", "template"}), tb = at(after, {"spec", "template"});
  if (same_for_kubernetes(ta, tb))
    return {change_kind::none, "none: the pod template is unchanged, no pod is replaced"};
  auto old_images = images(before), new_images = images(after);
  auto named = [](const std::string& name) { return [&name](const auto& p) { return p.first == name; }; };
  for (const auto& container : new_images) {
    const std::string& name = container.first;
    auto it = std::find_if(old_images.begin(), old_images.end(), named(name));
    if (it == old_images.end()) {
      take_larger(c, change_kind::major, "container " + name + " added");
      continue;
    }
    change ci = classify_images(name, it->second, container.second);
    if (static_cast<int>(ci.kind) > static_cast<int>(c.kind)) c = ci;
  }
  for (const auto& container : old_images)
    if (std::none_of(new_images.begin(), new_images.end(), named(container.first)))
      take_larger(c, change_kind::major, "container " + container.first + " removed");
  std::string la = version_label(before), lb = version_label(after);
  if (la != lb)
    take_larger(c, la.empty() || lb.empty() ? change_kind::major : classify_tags(la, lb),
                "app.kubernetes.io/version " + (la.empty() ? "(none)" : la) + " -> " + (lb.empty() ? "(none)" : lb));
  if (c.kind != change_kind::none) return c;
  return {change_kind::patch, "patch: the pod template changed (same images and version)"};
}

previous_release::previous_release(std::string stream, const std::string& name)
    : name_(name), text_(std::move(stream)) {
  try {
    stream_ = read_stream(text_);
    for (std::size_t i = 0; i < stream_.docs.size(); ++i) {
      const kind_reading& k = stream_.docs[i].kind;
      if (k.certain && !find_kind(k.kind) && !is_list_kind(k.kind)) continue;
      // Found by the fast reader where it can; the tree is not kept.
      parsed_document d = parse_document(stream_, i, "a workload", /*fast=*/true);
      std::vector<workload> found = find_workloads(d.tree(), d.index, d.source);
      if (found.size() == 1) {
        const workload_ref& w = found[0].ref;
        workloads_.emplace(std::make_tuple(std::string(w.kind->kind), w.name), place{w.ns, i});
        continue;
      }
      if (found.empty()) continue;
      // Several (a List): kept as yaml-cpp read them, as a List would be read again for each.
      parsed_document y = d.lite ? parse_document(stream_, i, "a workload") : std::move(d);
      for (const workload& w : find_workloads(y.root, y.index, y.source)) {
        kept_.push_back(*w.node.yaml());
        workloads_.emplace(std::make_tuple(std::string(w.ref.kind->kind), w.ref.name),
                           place{w.ref.ns, i, kept_.size() - 1});
      }
    }
  } catch (const failure& f) {
    throw failure(exit_code::bad_usage, "--previous " + name + ": " + f.what());
  }
}

change previous_release::classify(const std::string& kind, const std::string& ns, const std::string& name,
                                  const YAML::Node& now) const {
  auto [b, e] = workloads_.equal_range(std::make_tuple(kind, name));
  for (auto it = b; it != e; ++it) {
    const place& p = it->second;
    if (!ns.empty() && !p.ns.empty() && ns != p.ns) continue;
    if (p.kept != SIZE_MAX) return classify_workload(kept_[p.kept], now);
    try {  // read again by yaml-cpp, whose tree the comparison reads (it read the same when found)
      parsed_document d = parse_document(stream_, p.document, "a workload");
      std::vector<workload> found = find_workloads(d.root, d.index, d.source);
      return classify_workload(*found.at(0).node.yaml(), now);
    } catch (const failure& f) {
      throw failure(exit_code::bad_usage, "--previous " + name_ + ": " + f.what());
    }
  }
  return {change_kind::new_workload, "new: not in the running release, no rollout now (paced as a minor change)"};
}

}  // namespace rollout_pace
