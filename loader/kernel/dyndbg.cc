#include "loader/kernel/dyndbg.h"

#include <cerrno>
#include <vector>

namespace modforge::loader::kernel {

namespace {

constexpr int kMaxWords = 9;

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }
bool alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

void err(Log& log, std::string s) { logf(log, kErr, "dyndbg: " + std::move(s)); }

// ddebug_tokenize: whitespace-separated or quoted words, '#' starts a comment.
int tokenize(std::string_view buf, std::vector<std::string>& words, Log& log) {
  std::size_t i = 0;
  while (i < buf.size()) {
    while (i < buf.size() && space(buf[i])) ++i;
    if (i == buf.size() || buf[i] == '#') break;
    std::size_t start = i, end;
    if (buf[i] == '"' || buf[i] == '\'') {
      const char quote = buf[i];
      start = i + 1;
      end = buf.find(quote, start);
      if (end == std::string_view::npos) {
        err(log, "unclosed quote: " + std::string(buf.substr(start)));
        return -EINVAL;
      }
    } else {
      end = start;
      while (end < buf.size() && !space(buf[end])) ++end;
    }
    if (static_cast<int>(words.size()) == kMaxWords) {
      err(log, "too many words, legal max <=" + std::to_string(kMaxWords));
      return -EINVAL;
    }
    words.emplace_back(buf.substr(start, end - start));
    i = end < buf.size() ? end + 1 : end;
  }
  return static_cast<int>(words.size());
}

int parse_flags(std::string_view s, std::string_view opts, Log& log) {
  // The kernel prints %c of the first byte: an empty word prints a NUL (cut here).
  if (s.empty() || (s[0] != '+' && s[0] != '-' && s[0] != '=')) {
    err(log, "bad flag-op " + std::string(s.substr(0, 1)) + ", at start of " + std::string(s));
    return -EINVAL;
  }
  for (char c : s.substr(1))
    if (opts.find(c) == std::string_view::npos) {
      err(log, std::string("unknown flag '") + c + "'");
      return -EINVAL;
    }
  return 0;
}

// kstrtouint(str, 10): optional '+', digits, optional trailing newline, no overflow.
bool parse_uint(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  if (s.empty()) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + uint64_t(c - '0');
    if (v > 0xffffffffull) return false;
  }
  return true;
}

struct Query {
  std::optional<std::string> function, filename, module, format, class_string;
  uint64_t first = 0, last = 0;
};

int parse_lineno(std::string_view s, uint64_t& out, Log& log) {
  if (s.empty()) { out = 0; return 0; }
  if (!parse_uint(s)) {
    err(log, "bad line-number: " + std::string(s));
    return -EINVAL;
  }
  // parse_uint accepted it: read the value (leading '+' and trailing newline skipped).
  uint64_t v = 0;
  for (char c : s) if (c >= '0' && c <= '9') v = v * 10 + uint64_t(c - '0');
  out = v;
  return 0;
}

int parse_linerange(Query& q, std::string_view first, Log& log) {
  if (q.first || q.last) {
    err(log, "match-spec: line used 2x");
    return -EINVAL;
  }
  std::size_t dash = first.find('-');
  std::optional<std::string_view> last;
  if (dash != std::string_view::npos) { last = first.substr(dash + 1); first = first.substr(0, dash); }
  if (parse_lineno(first, q.first, log) < 0) return -EINVAL;
  if (last) {
    if (parse_lineno(*last, q.last, log) < 0) return -EINVAL;
    if (q.last == 0) q.last = 0xffffffffull;
    if (q.last < q.first) {
      err(log, "last-line:" + std::to_string(static_cast<int>(q.last)) + " < 1st-line:" +
                   std::to_string(static_cast<int>(q.first)));
      return -EINVAL;
    }
  } else {
    q.last = q.first;
  }
  return 0;
}

int check_set(std::optional<std::string>& dest, std::string_view src, const char* name, Log& log) {
  int rc = 0;
  if (dest) {
    rc = -EINVAL;
    err(log, std::string("match-spec:") + name + " val:" + *dest + " overridden by " + std::string(src));
  }
  dest = std::string(src);
  return rc;
}

int parse_query(const std::vector<std::string>& w, std::size_t n, Log& log) {
  if (n % 2) {
    err(log, "expecting pairs of match-spec <value>");
    return -EINVAL;
  }
  Query q;
  for (std::size_t i = 0; i < n; i += 2) {
    const std::string& key = w[i];
    std::string_view arg = w[i + 1];
    int rc = 0;
    if (key == "func") {
      rc = check_set(q.function, arg, "func", log);
    } else if (key == "file") {
      if (check_set(q.filename, arg, "file", log)) return -EINVAL;
      std::size_t colon = q.filename->find(':');
      if (colon == std::string::npos) continue;
      std::string fline = q.filename->substr(colon + 1);
      q.filename->resize(colon);
      if (!fline.empty() && (alpha(fline[0]) || fline[0] == '*' || fline[0] == '?')) {
        if (check_set(q.function, fline, "func", log)) return -EINVAL;
      } else if (parse_linerange(q, fline, log)) {
        return -EINVAL;
      }
    } else if (key == "module") {
      rc = check_set(q.module, arg, "module", log);
    } else if (key == "format") {
      // string_unescape_inplace changes only what the "overridden" line would print.
      rc = check_set(q.format, arg, "format", log);
    } else if (key == "line") {
      if (parse_linerange(q, arg, log)) return -EINVAL;
    } else if (key == "class") {
      rc = check_set(q.class_string, arg, "class", log);
    } else {
      err(log, "unknown keyword \"" + key + "\"");
      return -EINVAL;
    }
    if (rc) return rc;
  }
  return 0;
}

// ddebug_exec_query; no pr_debug site matches in the emulated kernel, which prints nothing.
void exec_query(std::string_view query, std::string_view flags, Log& log) {
  std::vector<std::string> words;
  const int n = tokenize(query, words, log);
  if (n <= 0) {
    err(log, "tokenize failed");
    return;
  }
  if (parse_flags(words[n - 1], flags, log)) {
    err(log, "flags parse failed");
    return;
  }
  if (parse_query(words, static_cast<std::size_t>(n - 1), log)) err(log, "query parse failed");
}

}  // namespace

bool dyndbg_module_param(std::string_view param, const std::optional<std::string>& val, const Rules& r,
                         Log& log, std::string& shown) {
  std::string_view leaf = param;
  const std::size_t dot = param.find('.');
  if (dot != std::string_view::npos) leaf = param.substr(dot + 1);
  shown = std::string(param.substr(0, dot));
  if (leaf != "dyndbg") return false;
  // ddebug_exec_queries: queries split at ';' and newlines, blank and '#' ones skipped.
  std::string_view rest = val ? std::string_view(*val) : std::string_view("+p");
  while (true) {
    const std::size_t split = rest.find_first_of(";\n");
    std::string_view q = rest.substr(0, split);
    while (!q.empty() && space(q.front())) q.remove_prefix(1);
    if (!q.empty() && q.front() != '#') exec_query(q, r.dyndbg_flags, log);
    if (split == std::string_view::npos) break;
    rest.remove_prefix(split + 1);
  }
  return true;
}

}  // namespace modforge::loader::kernel
