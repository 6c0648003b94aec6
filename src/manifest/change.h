#pragma once
// Major, minor or patch from the change itself: a workload compared with the one in the running
// release (`helm get manifest RELEASE`), by its images and its app.kubernetes.io/version label.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "pace/facts.h"
#include "yaml/reader.h"

namespace rollout_pace {

/// An image reference split as a registry reads it: repository, tag (empty: none given, which pulls
/// "latest") and digest.
struct image_ref {
  std::string repository, tag, digest;
};
image_ref parse_image(std::string_view image);

/// A tag read as a version: optional v/V, one to three numeric parts, optional -suffix or +build.
/// The first numeric part that moved decides (missing parts are 0); in 0.y.z a change of y is major;
/// a downgrade the same; equal numbers with another suffix is minor; a tag that is not a version and
/// changed is major (when unsure, the safe side). Equal tags: none.
change_kind classify_tags(std::string_view before, std::string_view after);

/// Compares two images: another repository is major, then the tags, then a digest alone is patch.
change classify_images(const std::string& container, std::string_view before, std::string_view after);

/// Compares a workload with the one of the running release: containers (init containers too) by
/// name (one added or removed is major), images, the app.kubernetes.io/version label of the workload
/// or its pod template; the largest wins. Same images and label but another pod template: patch;
/// the same pod template: none (no pod is replaced).
change classify_workload(const YAML::Node& before, const YAML::Node& after);

/// The workloads of the running release, found as rewrite() finds them. It keeps the release's text
/// and where each workload is, not its tree: a workload's document is read again when a workload of
/// the stream is compared with it (a yaml-cpp tree is about 25 times its text).
class previous_release {
 public:
  /// Reads the manifests of the running release, and keeps them. Throws failure(bad_usage) naming name.
  previous_release(std::string stream, const std::string& name);
  previous_release(const previous_release&) = delete;  // its stream views its own text
  previous_release& operator=(const previous_release&) = delete;
  /// The change for a workload: new when the release has no workload of that kind and name (and
  /// namespace, when both give one).
  change classify(const std::string& kind, const std::string& ns, const std::string& name, const YAML::Node& now) const;
  /// Whether the release holds any workload (helm get manifest of a mistyped release holds none).
  bool holds_workloads() const { return !workloads_.empty(); }
  /// The file it was read from, for messages.
  const std::string& name() const { return name_; }

 private:
  struct place {
    std::string ns;
    std::size_t document = 0;     ///< index in stream_
    std::size_t kept = SIZE_MAX;  ///< index in kept_, for a document of several workloads (a List)
  };
  std::string name_;
  std::string text_;
  manifest_stream stream_;        // views into text_
  std::vector<YAML::Node> kept_;  // the workloads of documents that hold several, parsed by yaml-cpp
  std::multimap<std::tuple<std::string, std::string>, place> workloads_;  // (kind, name) -> where
};

}  // namespace rollout_pace
