#pragma once
// Scalars as go-yaml v2 resolves them (its resolve.go), which is how Helm, kubectl and the API
// server read a manifest: whether a plain scalar stays a string, what integer or boolean it is.
// kyaml keeps the same rules apart in compatibility.go.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>

#include "yaml/view.h"

namespace rollout_pace {

/// Whether go-yaml v2's resolve() keeps a plain scalar's text a string ("web", not "yes", "1e3" or "~").
bool plain_is_string(const std::string& in);

/// What go-yaml v2 makes of a scalar: a quoted or !!str scalar is a string; a plain one may resolve
/// to a bool (true, yes, on, y, ...), null (~, null, empty), an int (0x10, 1_000) or a float (.5,
/// 1e3), as its resolve() does. Kubernetes needs strings in annotations, labels and kind.
bool is_string_for_kubernetes(const YAML::Node& n);
/// is_string_for_kubernetes() through a view.
bool is_string_for_kubernetes(const node_view& n);

/// Whether two scalars resolve to the same type and value (a quoted "80" is a string, a plain 80 a
/// number, yes and true the same boolean).
bool same_scalar(const YAML::Node& a, const YAML::Node& b);

/// A scalar as Kubernetes reads it into an integer field (go-yaml v2, then JSON): a plain decimal,
/// 0x, 0o, 0b or leading-0 octal number with "_" separators and a sign, or a float with an integral
/// value (1e3); nullopt for anything else (a quoted "3" is a string, which the API server refuses).
std::optional<std::int64_t> yaml_int(const node_view& n);
/// A string as a YAML scalar that reads back as the same string: plain when it is made of letters,
/// digits and "_-./" and resolves to a string (web, apps/v1), else double-quoted ("25%", "yes").
std::string plain_or_quoted(const std::string& s);

/// A document as go-yaml v2 reads it and JSON carries it (sigs.k8s.io/yaml, which Helm and the API
/// server use): scalars resolved (a quoted "80" stays a string, yes becomes true), keys as strings,
/// merge keys (<<) applied, aliases followed. How flux hands a HelmRelease's spec.values to helm
/// template. Throws yaml_error for what JSON cannot carry (.inf, .nan).
std::string json_of(const YAML::Node& n);

/// A scalar as go-yaml v2 reads a boolean: y, yes, on, true and n, no, off, false in their three
/// cases (Y, Yes, YES); nullopt for anything else.
std::optional<bool> yaml_bool(const node_view& n);

}  // namespace rollout_pace
