// The symtypes model: what genksyms -T writes (one record per line, "<key> <tokens...>"), for
// a whole corpus of objects, read from a directory of per-object `.symtypes` files or from
// one consolidated file in SUSE ksymtypes' format.
//
// For speed on whole kernels (tens of thousands of files, millions of lines): the text stays
// where it was read (mmapped inputs), identical records of different files are stored once
// (a Definition), record keys are interned to small ids, and a file is a sorted array of
// (key id, definition id) pairs.  A consolidated file is not expanded: a type a section
// omits resolves, when looked up, to the last definition of it in an earlier section.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/input.h"

namespace modforge::abi {

inline constexpr std::uint32_t kNoId = 0xffffffffu;

// One token of a definition: plain text, or a reference ("s#foo") to another record of the
// same file, resolved to its key id.
struct SymToken {
  std::string_view text;
  std::uint32_t ref = kNoId;
  bool is_ref() const { return ref != kNoId; }
};

// A record body, shared by every file whose record of that key reads the same.
struct Definition {
  std::uint32_t key = kNoId;
  std::string_view body;  // the tokens joined by single spaces
  std::uint32_t tok_begin = 0, tok_count = 0;
};

// The kind of a key, from its prefix.
enum class KeyKind : std::uint8_t { Export, Struct, Union, Enum, Typedef, EnumConst };
KeyKind key_kind(std::string_view key);
// "struct sk_buff", "typedef gfp_t", "enum pid_type", "enumerator FOO", or the export's name.
std::string readable_key(std::string_view key);
// The key's name without its prefix.
std::string_view key_base(std::string_view key);
// Is the body `struct foo { UNKNOWN }` (a declaration genksyms never saw defined)?
bool is_unknown_body(std::span<const SymToken> tokens);

class SymtypesCorpus {
public:
  SymtypesCorpus();
  ~SymtypesCorpus();
  SymtypesCorpus(const SymtypesCorpus&) = delete;
  SymtypesCorpus& operator=(const SymtypesCorpus&) = delete;

  // Reading.  The corpus copies what it keeps: `text` need not outlive the call.
  // A plain symtypes file (`path` names it in the corpus, e.g. "net/core/dev.symtypes").
  void add_file(std::string path, std::string_view text);
  // A consolidated file: sections "/* <path> */", omitted records, "s##name" declarations.
  // `name` is used in error messages.
  void add_consolidated(std::string_view text, std::string_view name);
  // ksymtypes' first consolidated format: records once ("s#foo@1" for a variant), then
  // "F#<path> <export or variant>..." per file.  Read only; the writer writes sections.
  void add_consolidated_f(std::string_view text, std::string_view name);
  // Every `*.symtypes` under `dir` (recursively, symlinks not followed), paths relative to it.
  void add_directory(const std::string& dir);
  // Keeps an input or a string alive as long as the corpus (for callers' own views).
  std::string_view keep(Input in);
  std::string_view keep(std::string s);

  // Lookup.
  std::size_t file_count() const { return files_.size(); }
  const std::string& file_path(std::uint32_t f) const { return files_[f].path; }
  std::size_t key_count() const { return key_names_.size(); }
  std::string_view key_name(std::uint32_t k) const { return key_names_[k]; }
  std::uint32_t find_key(std::string_view name) const;  // kNoId if never seen
  const Definition& definition(std::uint32_t d) const { return defs_[d]; }
  std::size_t definition_count() const { return defs_.size(); }
  std::span<const SymToken> tokens(const Definition& d) const {
    return {tokens_.data() + d.tok_begin, d.tok_count};
  }
  // The definition of key `k` as file `f` sees it, or kNoId.
  std::uint32_t lookup(std::uint32_t f, std::uint32_t k) const;

  struct ExportRef {
    std::uint32_t file = kNoId, key = kNoId, def = kNoId;
  };
  // The file an export is defined in (the first one when several define it), or nullptr.
  const ExportRef* find_export(std::string_view name) const;
  const std::vector<ExportRef>& exports() const { return exports_; }
  // Exports defined by more than one file: "name: first-file, other-file".
  const std::vector<std::string>& duplicate_exports() const { return duplicates_; }

  // Every record file `f` holds (for a consolidated section: its own records and every type
  // reachable from them), sorted by key name; what consolidated_text() writes out.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> complete_records(std::uint32_t f) const;

private:
  struct File {
    std::string path;
    std::uint32_t rec_begin = 0, rec_count = 0;  // into recs_, sorted by key id
    bool implicit = false;                       // a consolidated section: omitted records resolve to history
  };
  struct Rec {
    std::uint32_t key, def;
  };
  struct SvHash {
    std::size_t operator()(std::string_view s) const;
  };

  std::string_view store(std::string_view s);
  std::uint32_t intern_key(std::string_view name);
  std::uint32_t intern_def(std::uint32_t key, std::string_view body);
  std::string_view normalize(std::string_view body);
  // Parses one record line into (key, def); false for a blank line.  Throws on a bad line.
  bool parse_line(std::string_view line, std::uint32_t& key, std::uint32_t& def, bool consolidated,
                  bool& is_decl_shorthand, std::string_view where, std::size_t line_no);
  void finish_file(File f, std::vector<Rec>& recs, std::string_view where);

  std::deque<Input> inputs_;
  std::deque<std::string> strings_;  // store()'s chunks; never reallocated
  std::deque<std::string> kept_;
  std::vector<std::string_view> key_names_;
  std::unordered_map<std::string_view, std::uint32_t, SvHash> key_ids_;
  std::vector<Definition> defs_;
  std::vector<SymToken> tokens_;
  std::unordered_map<std::string_view, std::uint32_t, SvHash> def_ids_;  // "key body" -> def
  std::string scratch_;  // a record line rebuilt with single spaces
  std::unordered_map<std::string_view, Rec, SvHash> shorthand_;  // "s##foo" -> its record
  std::vector<File> files_;
  std::vector<Rec> recs_;
  // consolidated: per key, (section, def) of every explicit record, in section order
  std::vector<std::vector<Rec>> history_;
  std::vector<ExportRef> exports_;
  std::unordered_map<std::string_view, std::uint32_t, SvHash> export_ids_;
  std::vector<std::string> duplicates_;
};

}  // namespace modforge::abi
