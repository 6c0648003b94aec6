#pragma once
// The limits and defaults that more than one part reads, defined once.
#include <cstddef>
#include <cstdint>

namespace rollout_pace {

/// Streams larger than this are refused.
constexpr std::size_t max_input_bytes = std::size_t{256} << 20;
/// Documents that may hold a workload are parsed only up to this size: yaml-cpp needs about
/// 40 bytes of memory per byte parsed. Larger documents that cannot hold one pass untouched.
constexpr std::size_t max_parsed_document_bytes = std::size_t{16} << 20;
/// Helm's --timeout and Flux's spec.timeout default: 5m0s, in nanoseconds (a Go Duration).
constexpr std::int64_t default_timeout_ns = std::int64_t{300} * 1000 * 1000 * 1000;

}  // namespace rollout_pace
