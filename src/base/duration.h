#pragma once
// Durations as Helm and Flux read and write them: Go's time.ParseDuration and Duration.String(),
// ported exactly (src/time/format.go), in nanoseconds; and as rollout-pace says them to people.
#include <cstdint>
#include <string>
#include <string_view>

namespace rollout_pace {

/// Go's time.ParseDuration: "[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+" with the units ns, us, µs, μs, ms, s, m
/// and h, or "0"; nanoseconds. Throws std::invalid_argument naming what is wrong, for exactly the
/// text Go refuses (a missing or unknown unit, no digits, more than 2^63-1 ns).
std::int64_t parse_duration(std::string_view s);

/// Go's Duration.String(): "5m0s", "1h0m0.5s", "300ms", "1.5µs", "0s", "-2s".
std::string go_duration(std::int64_t ns);

/// The same for a whole number of seconds of any size (the plan's durations, which may exceed what a
/// Go Duration holds): "1h0m0s", "45s".
std::string go_duration_seconds(std::int64_t seconds);

/// Nanoseconds as a JSON number of seconds, exactly and never in exponent notation: "300", "0.3".
std::string decimal_seconds(std::int64_t ns);

/// Nanoseconds as whole seconds, rounded down (toward minus infinity).
std::int64_t floor_seconds(std::int64_t ns);

/// "51 min 40 s", "10 s", "2 h 5 min", "0 s".
std::string human_duration(std::int64_t seconds);

}  // namespace rollout_pace
