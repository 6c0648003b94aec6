#include "yaml/stream.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>

#include "base/diagnostic.h"
#include "base/text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rollout_pace {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

bool is_marker_end(std::string_view s, std::size_t i) { return i >= s.size() || is_blank(s[i]) || s[i] == '\n'; }

bool is_end_marker_at(std::string_view s, std::size_t i) {
  return s.size() - i >= 3 && s.compare(i, 3, "...") == 0 && is_marker_end(s, i + 3);
}

}  // namespace

// apimachinery's YAMLReader ends a document at a line that starts with "---" and holds nothing
// after it but blanks or a comment ("---#c" too, which YAML itself would read as a scalar); a
// "--- content" line is a YAML document start, so it splits there too and describe() flags it.
bool is_marker_at(std::string_view s, std::size_t i) {
  return s.size() - i >= 3 && s.compare(i, 3, "---") == 0 && (is_marker_end(s, i + 3) || s[i + 3] == '#');
}

namespace {

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
    unsigned mask =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
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

namespace {

// Characters that make a column-0 line something other than a plain key or a sequence entry:
// quoted or explicit keys, anchors, tags, aliases, flow collections, block scalars, merge keys
// ("<<"), directives and reserved indicators. Such a line may hide a kind, so the text is not enough.
bool unclear_start(char c) { return std::strchr("\"'?&!*{}[]|><%@`,:", c) != nullptr; }

// The value of a "kind" key line (after the colon), or nullopt when it is not one plain word.
std::optional<std::string_view> plain_value(std::string_view rest) {
  std::size_t b = 0;
  while (b < rest.size() && (rest[b] == ' ' || rest[b] == '\t')) ++b;
  std::size_t e = b;
  while (e < rest.size() && rest[e] != '\n' && rest[e] != '\r' && !(rest[e] == '#' && e > b && is_blank(rest[e - 1])))
    ++e;
  while (e > b && is_blank(rest[e - 1])) --e;
  std::string_view v = rest.substr(b, e - b);
  if (v.empty() || unclear_start(v[0]) || v[0] == '-' || v[0] == '#') return std::nullopt;
  for (char c : v)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == '/'))
      return std::nullopt;
  return v;
}

// read_kind over the column-0 line starts of a chunk (offsets into it, ascending; a superset is
// fine: lines that start with a space are skipped).
kind_reading read_kind_at(std::string_view chunk, const std::size_t* starts, std::size_t count) {
  kind_reading unsure{false, ""};
  std::size_t i = chunk.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  if (is_marker_at(chunk, i)) {  // the marker line may carry a comment, nothing else
    std::size_t e = line_end(chunk, i);
    if (!is_blank_or_comment(chunk.substr(i + 3, e - i - 3)) && chunk[i + 3] != '#') return unsure;
    i = e;
  }
  while (i < chunk.size() && is_blank_or_comment(chunk.substr(i, line_end(chunk, i) - i))) i = line_end(chunk, i);
  if (i == chunk.size()) return {true, ""};  // empty or comments only
  // The root must be a block map at column 0: then every top-level key starts a column-0 line.
  if (chunk[i] == ' ' || chunk[i] == '\t' || chunk[i] == '-' || unclear_start(chunk[i])) return unsure;
  std::optional<std::string_view> kind;
  std::size_t kinds = 0;
  for (std::size_t k = 0; k < count; ++k) {
    std::size_t at = starts[k];
    if (at < i) continue;
    std::string_view line = chunk.substr(at, line_end(chunk, at) - at);
    char c = line.empty() ? '\n' : line[0];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '#') continue;
    if (c == '-') {
      if (line.size() == 1 || is_marker_end(line, 1)) continue;  // a sequence entry
      if (is_marker_at(line, 0)) return unsure;                  // "--- x": content on a marker line
      continue;                                                  // a plain key such as "-x: 1"
    }
    if (is_end_marker_at(line, 0)) break;  // what follows "..." is not read as this document
    if (unclear_start(c)) return unsure;
    if (line.compare(0, 4, "kind") != 0) continue;
    std::size_t colon = 4;
    while (colon < line.size() && (line[colon] == ' ' || line[colon] == '\t')) ++colon;
    if (colon == line.size() || line[colon] != ':') {
      if (colon == 4 && line.size() > 4 && line[4] != ':') continue;  // "kindred: 1"
      return unsure;
    }
    if (colon + 1 < line.size() && !is_marker_end(line, colon + 1)) return unsure;  // "kind:x"
    kind = plain_value(line.substr(colon + 1));
    if (!kind || ++kinds > 1) return unsure;  // two kind lines: one may sit inside a quoted scalar
  }
  return {true, kind ? std::string(*kind) : ""};
}

}  // namespace

kind_reading read_kind(std::string_view chunk) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; (i = line_end(chunk, i)) < chunk.size();) starts.push_back(i);
  return read_kind_at(chunk, starts.data(), starts.size());
}

layout describe(std::string_view chunk, bool first_in_stream) {
  layout l;
  if (chunk.size() >= 3 && chunk.compare(0, 3, "\xEF\xBB\xBF") == 0) l.bom = 3;
  std::size_t first_eol = chunk.find('\n');
  l.crlf = first_eol != std::string_view::npos && first_eol > 0 && chunk[first_eol - 1] == '\r';
  auto set_problem = [&](std::size_t line, std::string what) {
    if (l.problem.empty()) {
      l.problem = std::move(what);
      l.problem_line = line;
    }
  };
  if (l.bom && !first_in_stream) set_problem(0, "a byte order mark inside the stream");
  std::size_t i = l.bom;
  std::size_t line_no = 0;
  l.parse_begin = l.bom;
  // Header: the marker line, then blank or comment lines.
  if (is_marker_at(chunk, i)) {
    std::size_t e = line_end(chunk, i);
    if (!is_blank_or_comment(chunk.substr(i + 3, e - i - 3)))
      set_problem(0, "content on the \"---\" marker line");
    else
      l.parse_begin = e;  // YAML would read "---#c" as content: the parser starts after the marker line
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

[[noreturn]] void reject(std::string_view s, std::size_t i, const std::string& what) {
  position p = position_of(s, i);
  throw failure(exit_code::bad_input,
                "line " + std::to_string(p.line) + ", column " + std::to_string(p.column) + ": " + what);
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
      // go-yaml's reader refuses C1 controls (but NEL) and U+FFFE, U+FFFF, raw as in a quoted scalar.
      auto b1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xC2 && b1 < 0xA0 && b1 != 0x85) ||
          (c == 0xEF && b1 == 0xBF && static_cast<unsigned char>(s[i + 2]) >= 0xBE)) {
        char hex[16];
        unsigned cp = c == 0xC2 ? b1 : 0xFFFE + (static_cast<unsigned char>(s[i + 2]) - 0xBE);
        std::snprintf(hex, sizeof hex, "U+%04X", cp);
        reject(s, i, std::string("character ") + hex + " is not allowed in YAML (Kubernetes' reader refuses it)");
      }
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
  std::vector<std::size_t> boundaries, starts{0};  // "---" line starts; starts of lines not indented
  auto after_newline = [&](std::size_t nl) {
    if (is_marker_at(s, nl + 1)) boundaries.push_back(nl + 1);
  };
  std::size_t i = 0;
#if defined(__SSE2__)
  // One pass, 16 bytes at a time: the byte checks, "\n---" and the lines that start at column 0.
  const __m128i lf = _mm_set1_epi8('\n'), dash = _mm_set1_epi8('-'), space = _mm_set1_epi8(' ');
  auto load = [&](std::size_t at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at)); };
  while (s.size() >= 20 && i <= s.size() - 20) {
    __m128i v = load(i), next = load(i + 1);
    bool plain = plain16(v);
    __m128i newline = _mm_cmpeq_epi8(v, lf);
    __m128i markers =
        _mm_and_si128(_mm_and_si128(newline, _mm_cmpeq_epi8(next, dash)),
                      _mm_and_si128(_mm_cmpeq_epi8(load(i + 2), dash), _mm_cmpeq_epi8(load(i + 3), dash)));
    for (unsigned m = static_cast<unsigned>(_mm_movemask_epi8(markers)); m; m &= m - 1)
      after_newline(i + static_cast<unsigned>(__builtin_ctz(m)));
    __m128i unindented = _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(next, space), _mm_cmpeq_epi8(next, lf)), newline);
    for (unsigned m = static_cast<unsigned>(_mm_movemask_epi8(unindented)); m; m &= m - 1)
      starts.push_back(i + static_cast<unsigned>(__builtin_ctz(m)) + 1);
    // Bytes a multi-byte character carries past the block are continuation bytes: no '\n'.
    i = plain ? i + 16 : check_bytes(s, i, i + 16);
  }
#endif
  std::size_t tail = i;
  check_bytes(s, i, s.size());
  for (std::size_t p = tail; p < s.size(); ++p) {
    if (s[p] != '\n') continue;
    after_newline(p);
    if (p + 1 < s.size() && s[p + 1] != ' ' && s[p + 1] != '\n') starts.push_back(p + 1);
  }
  if (is_marker_at(s, 0)) boundaries.insert(boundaries.begin(), 0);

  std::vector<scanned_document> docs;
  std::size_t start = 0, k = 0;
  auto close = [&](std::size_t end) {
    if (end <= start) return;
    while (k < starts.size() && starts[k] < start) ++k;
    std::size_t first = k;
    while (k < starts.size() && starts[k] < end) starts[k++] -= start;  // now relative to the chunk
    std::string_view chunk = s.substr(start, end - start);
    docs.push_back({{start, chunk}, read_kind_at(chunk, starts.data() + first, k - first)});
    start = end;
  };
  for (std::size_t b : boundaries) close(b);
  close(s.size());
  return docs;
}

}  // namespace rollout_pace
