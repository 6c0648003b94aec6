#pragma once
// Durations as Helm and Flux write them (Go's time.Duration) and as rollout-pace says them.
#include <cstdint>
#include <string>
#include <string_view>

namespace rollout_pace {

/// Parses a Go duration as Helm's and Flux's --timeout take it ("5m0s", "300s", "1h", "1.5h",
/// "90m30s"); returns seconds. Throws std::invalid_argument naming what is wrong.
double parse_duration(std::string_view s);
/// Seconds as Go prints a duration: 300 -> "5m0s", 3600 -> "1h0m0s", 45 -> "45s".
std::string go_duration(double seconds);
/// "51 min 40 s", "10 s", "2 h 5 min", "0 s".
std::string human_duration(std::int64_t seconds);

}  // namespace rollout_pace
