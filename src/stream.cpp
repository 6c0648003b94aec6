#include "rollout_pace/stream.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "rollout_pace/diagnostic.h"

namespace rollout_pace {
namespace {

bool is_marker_end(std::string_view s, std::size_t i) {
  return i >= s.size() || s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n';
}

// A "---" document marker at offset i, which must be a line start.
bool is_marker_at(std::string_view s, std::size_t i) {
  return s.size() - i >= 3 && s.compare(i, 3, "---") == 0 && is_marker_end(s, i + 3);
}

bool is_end_marker_at(std::string_view s, std::size_t i) {
  return s.size() - i >= 3 && s.compare(i, 3, "...") == 0 && is_marker_end(s, i + 3);
}

}  // namespace

std::size_t line_end(std::string_view s, std::size_t i) {
  const void* p = std::memchr(s.data() + i, '\n', s.size() - i);
  return p ? static_cast<const char*>(p) - s.data() + 1 : s.size();
}

std::size_t line_start(std::string_view s, std::size_t i) {
  std::size_t nl = i == 0 ? std::string_view::npos : s.rfind('\n', i - 1);
  return nl == std::string_view::npos ? 0 : nl + 1;
}

bool is_blank_or_comment(std::string_view line) {
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '#';
  }
  return true;
}

std::vector<document> split_documents(std::string_view stream) {
  std::vector<document> docs;
  std::size_t start = 0;
  std::size_t search = 0;
  auto cut = [&](std::size_t at) {
    if (at > start) docs.push_back({start, stream.substr(start, at - start)});
    start = at;
  };
  if (is_marker_at(stream, 0)) search = 3;
  while (search < stream.size()) {
    const char* hit = static_cast<const char*>(
        memmem(stream.data() + search, stream.size() - search, "\n---", 4));
    if (!hit) break;
    std::size_t line = hit - stream.data() + 1;
    if (is_marker_at(stream, line)) cut(line);
    search = line + 3;
  }
  if (start < stream.size()) docs.push_back({start, stream.substr(start)});
  return docs;
}

bool may_hold_deployment(std::string_view text) { return may_hold_kind(text, "Deployment"); }

bool may_hold_kind(std::string_view text, std::string_view word) {
  std::size_t from = 0;
  while (from < text.size()) {
    const char* hit = static_cast<const char*>(
        memmem(text.data() + from, text.size() - from, word.data(), word.size()));
    if (!hit) return false;
    std::size_t i = hit - text.data();
    from = i + word.size();
    // Walk back over: optional quote, blanks, optional "!!str", blanks, ':', blanks, optional quote, "kind".
    auto blanks = [&] { while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) --i; };
    if (i > 0 && (text[i - 1] == '"' || text[i - 1] == '\'')) --i;
    blanks();
    if (i >= 5 && text.compare(i - 5, 5, "!!str") == 0) { i -= 5; blanks(); }
    if (i == 0 || text[i - 1] != ':') continue;
    --i;
    blanks();
    if (i > 0 && (text[i - 1] == '"' || text[i - 1] == '\'')) --i;
    if (i >= 4 && text.compare(i - 4, 4, "kind") == 0) return true;
  }
  return false;
}

layout describe(std::string_view chunk, bool first_in_stream) {
  layout l;
  if (chunk.size() >= 3 && chunk.compare(0, 3, "\xEF\xBB\xBF") == 0) l.bom = 3;
  std::size_t first_eol = chunk.find('\n');
  l.crlf = first_eol != std::string_view::npos && first_eol > 0 && chunk[first_eol - 1] == '\r';
  auto set_problem = [&](std::size_t line, std::string what) {
    if (l.problem.empty()) { l.problem = std::move(what); l.problem_line = line; }
  };
  if (l.bom && !first_in_stream) set_problem(0, "a byte order mark inside the stream");
  std::size_t i = l.bom;
  std::size_t line_no = 0;
  // Header: the marker line, then blank or comment lines.
  if (is_marker_at(chunk, i)) {
    std::size_t e = line_end(chunk, i);
    if (!is_blank_or_comment(chunk.substr(i + 3, e - i - 3)))
      set_problem(0, "content on the \"---\" marker line");
    i = e;
    ++line_no;
  }
  while (i < chunk.size()) {
    std::size_t e = line_end(chunk, i);
    if (!is_blank_or_comment(chunk.substr(i, e - i))) break;
    i = e;
    ++line_no;
  }
  l.body_begin = i;
  l.body_end = chunk.size();
  // Body: look for directives, an end marker, a BOM, and content after the end marker.
  bool ended = false;
  while (i < chunk.size()) {
    std::size_t e = line_end(chunk, i);
    std::string_view line = chunk.substr(i, e - i);
    if (ended) {
      if (!is_blank_or_comment(line)) {
        set_problem(line_no, "content after the \"...\" end marker");
        l.content_after_end = true;
      }
    } else if (is_end_marker_at(chunk, i)) {
      ended = true;
      l.body_end = i;
      if (!is_blank_or_comment(line.substr(3))) {
        set_problem(line_no, "content after the \"...\" end marker");
        l.content_after_end = true;
      }
    } else if (!line.empty() && line[0] == '%') {
      set_problem(line_no, "a YAML directive");
    }
    if (line.find("\xEF\xBB\xBF") != std::string_view::npos && (i > 0 || !first_in_stream))
      set_problem(line_no, "a byte order mark inside the stream");
    i = e;
    ++line_no;
  }
  return l;
}

position position_of(std::string_view text, std::size_t offset) {
  std::string_view prefix = text.substr(0, std::min(offset, text.size()));
  std::size_t nl = prefix.rfind('\n');
  position p;
  p.line = 1 + std::count(prefix.begin(), prefix.end(), '\n');
  p.column = prefix.size() - (nl == std::string_view::npos ? 0 : nl + 1) + 1;
  return p;
}

namespace {

// Length of the valid UTF-8 sequence at s[i] (lead byte >= 0x80), or 0 when invalid.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  unsigned char c = b(0);
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

[[noreturn]] void reject(std::string_view s, std::size_t i, const std::string& what) {
  position p = position_of(s, i);
  throw failure(exit_code::bad_input, "line " + std::to_string(p.line) + ", column " +
                                          std::to_string(p.column) + ": " + what);
}

}  // namespace

void check_text(std::string_view s) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  std::size_t i = 0;
  while (i < s.size()) {
    // Fast path: eight bytes of printable ASCII (no byte < 0x20, none >= 0x7F).
    if (s.size() - i >= 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      std::uint64_t low = (w - ones * 0x20) & ~w & highs;   // some byte < 0x20
      std::uint64_t del = ((w ^ (ones * 0x7F)) - ones) & ~(w ^ (ones * 0x7F)) & highs;  // a 0x7F byte
      if (((w & highs) | low | del) == 0) { i += 8; continue; }
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == 0) reject(s, i, "a NUL byte: this is binary data, not a YAML manifest stream");
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "%02X", c);
        reject(s, i, std::string("control character U+00") + hex + " is not allowed in YAML");
      }
      ++i;
      continue;
    }
    std::size_t n = utf8_length(s, i);
    if (n == 0) reject(s, i, "invalid UTF-8: YAML streams must be UTF-8 text");
    i += n;
  }
}

}  // namespace rollout_pace
