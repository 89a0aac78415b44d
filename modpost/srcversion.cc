#include "modpost/srcversion.h"

#include <csignal>
#include <cstdint>
#include <optional>

#include "core/error.h"
#include "core/input.h"
#include "core/md4.h"
#include "modpost/rules.h"

namespace modforge::modpost {
namespace {

// What glibc 2.36's free() does with a pointer into the middle of a malloc'd buffer: it
// takes the 16 bytes before it as a chunk header (prev_size, size) and fails one of its
// consistency checks.  `text` is the buffer as it stands (delimiters already NUL), `at`
// the freed offset; the buffer itself is 16-aligned, as malloc returns it.
[[noreturn]] void free_moved_pointer(std::string_view text, std::size_t at, Report& report) {
  uint64_t size = 0;  // bytes before the buffer (its real chunk header) taken as zero
  for (int i = 0; i < 8; ++i)
    if (at >= std::size_t(8 - i)) size |= uint64_t(uint8_t(text[at - 8 + i])) << (8 * i);
  const uint64_t mmapped = 2, non_main_arena = 4, chunk_size = size & ~uint64_t(7);
  const char* message;
  if (size & mmapped)
    message = "munmap_chunk(): invalid pointer\n";  // the page checks fail
  else if (size & non_main_arena)
    throw Crash(SIGSEGV);  // looks up a heap at the pointer rounded down to 64 MiB
  else if (at % 16 != 0)
    message = "free(): invalid pointer\n";
  else if (chunk_size < 32 || chunk_size % 16 != 0)
    message = "free(): invalid size\n";
  else
    message = "double free or corruption (out)\n";  // the next chunk lies past the heap
  report.raw(message);
  throw Crash(SIGABRT);
}

// isspace() in the C locale modpost runs in (it never calls setlocale).
bool c_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// A whole text file as read_text_file() gives it: C string functions stop at the first
// NUL, so the text ends there.  An unreadable file ends the run with perror()'s line.
struct TextFile {
  Input input;
  std::string_view text;
};

TextFile read_text(const std::string& path, Report& report) {
  TextFile f;
  try {
    f.input = Input::from_path(path);
  } catch (const Error& e) {
    report.die(std::string(e.what()) + "\n");
  }
  f.text = f.input.bytes();
  if (auto nul = f.text.find('\0'); nul != std::string_view::npos) f.text = f.text.substr(0, nul);
  return f;
}

// get_line(): the next '\n'-terminated line; none once the text is used up.
std::optional<std::string_view> next_line(std::string_view& rest) {
  if (rest.empty()) return std::nullopt;
  auto nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  return line;
}

// One source file into the hash: whitespace, backslash-newline and /* */ comments are left
// out; a "..." string is hashed whole, spaces included.  The quirks of the real scanner
// are kept: a string ends at a quote not preceded by a backslash (so "\\" does not end
// it), and a comment may end on the '*' that opened it ("/*/").
void hash_source(std::string_view s, Md4& md) {
  const std::size_t n = s.size();
  auto at = [&](std::size_t i) { return i < n ? s[i] : '\0'; };
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[i];
    if (c == '\\' && at(i + 1) == '\n') {
      ++i;
    } else if (c_space(c)) {
    } else if (c == '"') {
      md.update(c);
      std::size_t j = i + 1;
      for (; j < n; ++j) {
        md.update(s[j]);
        if (s[j] == '"' && s[j - 1] != '\\') break;
      }
      i = j;
    } else if (c == '/' && at(i + 1) == '*') {
      std::size_t j = i + 2;
      while (j < n && !(s[j - 1] == '*' && s[j] == '/')) ++j;
      i = j;
    } else {
      md.update(c);
    }
  }
}

void hash_file(const std::string& path, Md4& md, Report& report) {
  TextFile f = read_text(path, report);
  hash_source(f.text, md);
}

// Whether a deps_ entry is hashed: the real test is
//   strstr(entry, dir) + strlen(dir) - 1 == strrchr(entry, '/')
// i.e. the first occurrence of the object's directory ends right at the entry's last
// '/'.  An empty dir never matches; a directory not found matches only in the degenerate
// case where both sides are null (dir "/" and an entry without any '/').
bool in_object_dir(std::string_view entry, std::string_view dir) {
  auto last_slash = entry.rfind('/');
  auto found = entry.find(dir);
  if (found == std::string_view::npos) return last_slash == std::string_view::npos && dir.size() == 1;
  if (dir.empty() || last_slash == std::string_view::npos) return false;
  return found + dir.size() - 1 == last_slash;
}

// parse_source_files(): false when the real one gives up (srcversion then stays empty).
bool hash_object_sources(std::string_view objfile, Md4& md, Report& report) {
  auto slash = objfile.rfind('/');
  std::string_view dir = slash == std::string_view::npos ? std::string_view() : objfile.substr(0, slash + 1);
  std::string_view base = objfile.substr(dir.size());
  std::string cmd_path = std::string(dir) + "." + std::string(base) + ".cmd";

  TextFile cmd = read_text(cmd_path, report);
  std::string_view rest = cmd.text;
  bool in_deps = false;
  while (auto raw = next_line(rest)) {
    std::string_view line = *raw;
    while (!line.empty() && c_space(line.front())) line.remove_prefix(1);

    if (line.starts_with("source_")) {
      auto space = line.rfind(' ');
      if (space == std::string_view::npos) {
        report.warn("malformed line: " + std::string(line) + "\n");
        return false;
      }
      hash_file(std::string(line.substr(space + 1)), md, report);
      continue;
    }
    if (line.starts_with("deps_")) {
      in_deps = true;
      continue;
    }
    if (!in_deps) continue;

    // The dependency list ends at the first line without a continuation backslash (an
    // empty line included: the byte before it is a space or the previous line's end).
    if (line.empty() || line.back() != '\\') break;
    std::size_t end = 0;
    while (end < line.size() && !c_space(line[end])) ++end;
    std::string_view entry = line.substr(0, end);
    if (in_object_dir(entry, dir)) hash_file(std::string(entry), md, report);
  }
  return true;
}

// A name ending in ".a" is a static library: it has no .cmd of its own to follow.
bool is_static_library(std::string_view name) { return name.size() >= 2 && name.ends_with(".a"); }

}  // namespace

std::string src_version(std::string_view modname, Kernel kernel, Report& report) {
  // sumversion.c differs between the versions in one observable way (Rules::srcversion_frees_cursor);
  // the fatal prefix also differs, which is the Report's business.
  const bool frees_moved_cursor = rules_for(kernel).srcversion_frees_cursor;
  TextFile list = read_text(std::string(modname) + ".mod", report);
  Md4 md(Md4::BlockWords::big_endian);

  // strsep() over "\n": every piece, the last one included, empty ones skipped.
  std::string_view rest = list.text;
  for (bool more = true; more;) {
    auto nl = rest.find('\n');
    std::string_view name = rest.substr(0, nl);
    more = nl != std::string_view::npos;
    if (more) rest.remove_prefix(nl + 1);
    if (name.empty() || is_static_library(name)) continue;
    if (!hash_object_sources(name, md, report)) {
      // After the last piece strsep() leaves a null cursor, and free(NULL) is harmless.
      if (frees_moved_cursor && more) {
        std::string consumed(list.text.substr(0, list.text.size() - rest.size()));
        for (char& c : consumed)
          if (c == '\n') c = '\0';
        free_moved_pointer(consumed, consumed.size(), report);
      }
      return "";
    }
  }

  // The real tool prints the four state words with "%08X" into a 24-byte buffer.
  std::string hex = Md4::hex(md.finish());
  for (char& c : hex)
    if (c >= 'a' && c <= 'f') c = char(c - 'a' + 'A');
  return hex.substr(0, 23);
}

}  // namespace modforge::modpost
