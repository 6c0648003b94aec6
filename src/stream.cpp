#include "rollout_pace/stream.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>


#include "rollout_pace/diagnostic.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// The first offset >= from where needle may start: SSE2 compares its first and last bytes 16
// positions at a time, and memcmp confirms. npos when there is none.
std::size_t find(std::string_view text, std::string_view needle, std::size_t from) {
  const std::size_t n = needle.size();
  if (n == 0 || text.size() < n) return std::string_view::npos;
  std::size_t i = from;
#if defined(__SSE2__)
  const __m128i first = _mm_set1_epi8(needle.front()), last = _mm_set1_epi8(needle.back());
  for (; i + n - 1 + 16 <= text.size(); i += 16) {
    __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i + n - 1));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
    while (mask != 0) {
      unsigned bit = static_cast<unsigned>(__builtin_ctz(mask));
      if (std::memcmp(text.data() + i + bit, needle.data(), n) == 0) return i + bit;
      mask &= mask - 1;
    }
  }
#endif
  std::size_t at = text.find(needle, i);
  return at;
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
  auto cut = [&](std::size_t at) {
    if (at > start) docs.push_back({start, stream.substr(start, at - start)});
    start = at;
  };
  for (std::size_t at = 0; (at = find(stream, "\n---", at)) != std::string_view::npos;) {
    if (is_marker_at(stream, at + 1)) cut(at + 1);
    at += 4;
  }
  if (start < stream.size()) docs.push_back({start, stream.substr(start)});
  return docs;
}

bool may_hold_deployment(std::string_view text) { return may_hold_kind(text, "Deployment"); }

namespace {

// Whether the word at text[at] follows "kind:" on its line (also quoted, JSON, "!!str").
bool follows_kind(std::string_view text, std::size_t at) {
  std::size_t i = at;
  // Walk back over: optional quote, blanks, optional "!!str", blanks, ':', blanks, optional quote, "kind".
  auto blanks = [&] { while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) --i; };
  if (i > 0 && (text[i - 1] == '"' || text[i - 1] == '\'')) --i;
  blanks();
  if (i >= 5 && text.compare(i - 5, 5, "!!str") == 0) { i -= 5; blanks(); }
  if (i == 0 || text[i - 1] != ':') return false;
  --i;
  blanks();
  if (i > 0 && (text[i - 1] == '"' || text[i - 1] == '\'')) --i;
  return i >= 4 && text.compare(i - 4, 4, "kind") == 0;
}

}  // namespace

bool may_hold_kind(std::string_view text, std::string_view word) {
  for (std::size_t at = 0; (at = find(text, word, at)) != std::string_view::npos; at += word.size())
    if (follows_kind(text, at)) return true;
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

namespace {

#if defined(__SSE2__)
// True when all 16 bytes are plain text: printable ASCII, tab, LF or CR. The compare is signed, so
// bytes >= 0x80 count as "below a space" and go to the careful path.
bool plain16(__m128i v) {
  const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F);
  const __m128i lf = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r');
  __m128i low = _mm_cmplt_epi8(v, space);
  __m128i allowed = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, tab)), _mm_cmpeq_epi8(v, cr));
  return _mm_movemask_epi8(_mm_or_si128(_mm_andnot_si128(allowed, low), _mm_cmpeq_epi8(v, del))) == 0;
}
#endif

// Validates s[i, until) byte by byte (a character may run past until); returns where it stopped.
std::size_t check_bytes(std::string_view s, std::size_t i, std::size_t until) {
  while (i < until) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t n = utf8_length(s, i);
      if (n == 0) reject(s, i, "invalid UTF-8: YAML streams must be UTF-8 text");
      i += n;
      continue;
    }
    if (c == 0) reject(s, i, "a NUL byte: this is binary data, not a YAML manifest stream");
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "%02X", c);
      reject(s, i, std::string("control character U+00") + hex + " is not allowed in YAML");
    }
    ++i;
  }
  return i;
}

}  // namespace

void check_text(std::string_view s) {
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; s.size() - i >= 16;) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    i = plain16(v) ? i + 16 : check_bytes(s, i, i + 16);
  }
#endif
  check_bytes(s, i, s.size());
}

std::vector<scanned_document> scan_stream(std::string_view s) {
  static constexpr std::string_view word = "Deployment";
  std::vector<std::size_t> boundaries, kinds;  // "---" line starts; "kind: Deployment" hits
  auto marker_after_newline = [&](std::size_t nl) {
    if (is_marker_at(s, nl + 1)) boundaries.push_back(nl + 1);
  };
  auto kind_hit = [&](std::size_t at) {
    if (s.compare(at, word.size(), word) == 0 && follows_kind(s, at)) kinds.push_back(at);
  };
  std::size_t i = 0;
#if defined(__SSE2__)
  // One pass, 16 bytes at a time: the byte checks, "\n---" and "D........t" candidates together.
  const __m128i lf = _mm_set1_epi8('\n'), dash = _mm_set1_epi8('-');
  const __m128i d = _mm_set1_epi8('D'), t = _mm_set1_epi8('t');
  auto load = [&](std::size_t at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at)); };
  while (s.size() >= 16 + word.size() && i <= s.size() - 16 - word.size()) {
    __m128i v = load(i);
    bool plain = plain16(v);
    __m128i markers = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(load(i + 1), dash)),
                                    _mm_and_si128(_mm_cmpeq_epi8(load(i + 2), dash), _mm_cmpeq_epi8(load(i + 3), dash)));
    for (unsigned m = static_cast<unsigned>(_mm_movemask_epi8(markers)); m; m &= m - 1)
      marker_after_newline(i + static_cast<unsigned>(__builtin_ctz(m)));
    __m128i words = _mm_and_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(load(i + word.size() - 1), t));
    for (unsigned m = static_cast<unsigned>(_mm_movemask_epi8(words)); m; m &= m - 1)
      kind_hit(i + static_cast<unsigned>(__builtin_ctz(m)));
    // Bytes a multi-byte character carries past the block are continuation bytes: no '\n', no 'D'.
    i = plain ? i + 16 : check_bytes(s, i, i + 16);
  }
#endif
  std::size_t tail = i;
  check_bytes(s, i, s.size());
  for (std::size_t p = tail; p < s.size(); ++p) {
    if (s[p] == '\n') marker_after_newline(p);
    if (s[p] == 'D') kind_hit(p);
  }
  if (is_marker_at(s, 0)) boundaries.insert(boundaries.begin(), 0);

  std::vector<scanned_document> docs;
  std::size_t start = 0, k = 0;
  auto close = [&](std::size_t end) {
    if (end <= start) return;
    bool hit = false;
    while (k < kinds.size() && kinds[k] < end) { hit = true; ++k; }
    docs.push_back({{start, s.substr(start, end - start)}, hit});
    start = end;
  };
  for (std::size_t b : boundaries) close(b);
  close(s.size());
  return docs;
}

}  // namespace rollout_pace
