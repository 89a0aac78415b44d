#include "abi/symtypes_model.h"

#include <algorithm>
#include <filesystem>

#include <xxhash.h>

#include "abi/symtypes.h"
#include "core/error.h"
#include "core/lines.h"

namespace fs = std::filesystem;

namespace modforge::abi {

namespace {


// "s#foo" and friends: a reference to another record (ksymtypes' test: the second character).
bool is_ref_token(std::string_view t) {
  return t.size() > 2 && t[1] == '#' && (t[0] == 's' || t[0] == 'u' || t[0] == 'e' || t[0] == 't' || t[0] == 'E');
}

std::string_view kind_word(char c) {
  switch (c) {
    case 's': return "struct";
    case 'u': return "union";
    case 'e': return "enum";
    case 't': return "typedef";
    default: return {};
  }
}

std::string where_line(std::string_view where, std::size_t line_no) {
  return std::string(where) + ":" + std::to_string(line_no);
}

}  // namespace

KeyKind key_kind(std::string_view key) {
  if (key.size() < 2 || key[1] != '#') return KeyKind::Export;
  switch (key[0]) {
    case 's': return KeyKind::Struct;
    case 'u': return KeyKind::Union;
    case 'e': return KeyKind::Enum;
    case 't': return KeyKind::Typedef;
    case 'E': return KeyKind::EnumConst;
    default: return KeyKind::Export;
  }
}

std::string_view key_base(std::string_view key) {
  return key_kind(key) == KeyKind::Export ? key : key.substr(2);
}

std::string readable_key(std::string_view key) {
  switch (key_kind(key)) {
    case KeyKind::Export: return std::string(key);
    case KeyKind::EnumConst: return "enumerator " + std::string(key.substr(2));
    default: return std::string(kind_word(key[0])) + " " + std::string(key.substr(2));
  }
}

bool is_unknown_body(std::span<const SymToken> t) {
  return t.size() == 5 && t[2].text == "{" && t[3].text == "UNKNOWN" && t[4].text == "}" &&
         (t[0].text == "struct" || t[0].text == "union" || t[0].text == "enum");
}

std::size_t SymtypesCorpus::SvHash::operator()(std::string_view s) const {
  return static_cast<std::size_t>(XXH3_64bits(s.data(), s.size()));
}

SymtypesCorpus::SymtypesCorpus() = default;
SymtypesCorpus::~SymtypesCorpus() = default;

std::string_view SymtypesCorpus::keep(Input in) {
  inputs_.push_back(std::move(in));
  return inputs_.back().bytes();
}

std::string_view SymtypesCorpus::keep(std::string s) {
  kept_.push_back(std::move(s));
  return kept_.back();
}

// Distinct keys and records are copied into chunks that never reallocate, so the views stay
// valid and the input need not outlive the corpus (a whole kernel's .symtypes are mostly the
// same records over and over: only the distinct ones are kept).
std::string_view SymtypesCorpus::store(std::string_view s) {
  if (strings_.empty() || strings_.back().capacity() - strings_.back().size() < s.size()) {
    strings_.emplace_back();
    strings_.back().reserve(std::max<std::size_t>(1 << 20, s.size()));
  }
  std::string& chunk = strings_.back();
  const std::size_t at = chunk.size();
  chunk.append(s);
  return std::string_view(chunk).substr(at, s.size());
}

std::uint32_t SymtypesCorpus::find_key(std::string_view name) const {
  auto it = key_ids_.find(name);
  return it == key_ids_.end() ? kNoId : it->second;
}

std::uint32_t SymtypesCorpus::intern_key(std::string_view name) {
  auto it = key_ids_.find(name);
  if (it != key_ids_.end()) return it->second;
  const std::string_view kept = store(name);
  const auto id = static_cast<std::uint32_t>(key_names_.size());
  key_ids_.emplace(kept, id);
  key_names_.push_back(kept);
  history_.emplace_back();
  return id;
}

// `line` is "key body" with single spaces (the dedup key); body is its tail.
std::uint32_t SymtypesCorpus::intern_def(std::uint32_t key, std::string_view line) {
  if (auto it = def_ids_.find(line); it != def_ids_.end()) return it->second;
  line = store(line);
  const auto id = static_cast<std::uint32_t>(defs_.size());
  def_ids_.emplace(line, id);
  Definition d;
  d.key = key;
  const std::size_t klen = key_names_[key].size();
  d.body = line.size() > klen ? line.substr(klen + 1) : std::string_view{};
  d.tok_begin = static_cast<std::uint32_t>(tokens_.size());
  std::string_view rest = d.body;
  while (!rest.empty()) {
    const std::size_t sp = rest.find(' ');
    const std::string_view t = rest.substr(0, sp);
    SymToken tok{t, kNoId};
    if (is_ref_token(t)) tok.ref = intern_key(t);
    tokens_.push_back(tok);
    if (sp == std::string_view::npos) break;
    rest.remove_prefix(sp + 1);
  }
  d.tok_count = static_cast<std::uint32_t>(tokens_.size()) - d.tok_begin;
  defs_.push_back(d);
  return id;
}

bool SymtypesCorpus::parse_line(std::string_view line, std::uint32_t& key, std::uint32_t& def, bool consolidated,
                                bool& shorthand, std::string_view where, std::size_t line_no) {
  shorthand = false;
  line = trim_blanks(line);
  if (line.empty()) return false;
  auto word_end = [](std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && !is_blank(s[i])) ++i;
    return i;
  };
  std::size_t e = word_end(line);
  // genksyms -T marks a type taken from the reference file (-r with -p) with "override ".
  if (line.substr(0, e) == "override" && e < line.size()) {
    line = trim_blanks(line.substr(e));
    e = word_end(line);
  }
  const std::string_view name = line.substr(0, e);
  const std::string_view body = trim_blanks(line.substr(e));
  if (consolidated) {
    const std::size_t hh = name.find("##");
    if (hh == 1 && !kind_word(name[0]).empty() && name[0] != 't' && name.size() > 3) {
      if (!body.empty())
        throw Error(where_line(where, line_no) + ": unexpected text after the declaration '" + std::string(name) + "'");
      if (auto it = shorthand_.find(name); it != shorthand_.end()) {  // most lines of a consolidated file
        key = it->second.key;
        def = it->second.def;
        shorthand = true;
        return true;
      }
      const std::string_view base = name.substr(3);
      scratch_ = std::string(name.substr(0, 1)) + "#" + std::string(base) + " " + std::string(kind_word(name[0])) +
                 " " + std::string(base) + " { UNKNOWN }";
      const std::string_view full = scratch_;
      key = intern_key(full.substr(0, base.size() + 2));
      def = intern_def(key, full);
      shorthand_.emplace(store(name), Rec{key, def});
      shorthand = true;
      return true;
    }
  }
  key = intern_key(name);
  // The dedup key is the line as "key body" with single spaces; genksyms writes it so.
  bool normal = e == name.size() && (body.empty() || (line.size() > e && line[e] == ' ' && line.data() + e + 1 == body.data()));
  if (normal)
    for (std::size_t i = 0; i < body.size(); ++i)
      if (is_blank(body[i]) && (body[i] != ' ' || (i + 1 < body.size() && is_blank(body[i + 1])))) {
        normal = false;
        break;
      }
  std::string_view full;
  if (normal) {
    full = body.empty() ? name : std::string_view(name.data(), name.size() + 1 + body.size());
  } else {
    std::string s(name);
    std::string_view rest = body;
    while (!rest.empty()) {
      std::size_t i = 0;
      while (i < rest.size() && !is_blank(rest[i])) ++i;
      s += ' ';
      s.append(rest.substr(0, i));
      rest = trim_blanks(rest.substr(i));
    }
    scratch_ = std::move(s);
    full = scratch_;
  }
  def = intern_def(key, full);
  return true;
}

void SymtypesCorpus::finish_file(File f, std::vector<Rec>& recs, std::string_view where) {
  std::sort(recs.begin(), recs.end(), [](const Rec& a, const Rec& b) { return a.key < b.key; });
  for (std::size_t i = 1; i < recs.size(); ++i)
    if (recs[i].key == recs[i - 1].key)
      throw Error(std::string(where) + ": duplicate record '" + std::string(key_names_[recs[i].key]) + "' in " + f.path);
  const auto fi = static_cast<std::uint32_t>(files_.size());
  f.rec_begin = static_cast<std::uint32_t>(recs_.size());
  f.rec_count = static_cast<std::uint32_t>(recs.size());
  recs_.insert(recs_.end(), recs.begin(), recs.end());
  for (const Rec& r : recs) {
    const std::string_view k = key_names_[r.key];
    if (key_kind(k) != KeyKind::Export) continue;
    auto [it, fresh] = export_ids_.try_emplace(k, static_cast<std::uint32_t>(exports_.size()));
    if (fresh) exports_.push_back({fi, r.key, r.def});
    else duplicates_.push_back(std::string(k) + ": " + files_[exports_[it->second].file].path + ", " + f.path);
  }
  files_.push_back(std::move(f));
  recs.clear();
}

void SymtypesCorpus::add_file(std::string path, std::string_view text) {
  std::vector<Rec> recs;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    std::uint32_t key, def;
    bool shorthand;
    if (parse_line(line, key, def, false, shorthand, path, line_no)) recs.push_back({key, def});
  }
  File f;
  f.path = std::move(path);
  const std::string where = f.path;
  finish_file(std::move(f), recs, where);
}

void SymtypesCorpus::add_consolidated(std::string_view text, std::string_view name) {
  std::vector<Rec> recs;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> hist;  // (key, def) of this section's explicit records
  bool open = false;
  File cur;
  auto close = [&] {
    const auto fi = static_cast<std::uint32_t>(files_.size());
    finish_file(std::move(cur), recs, name);
    for (auto [k, d] : hist) history_[k].push_back({fi, d});
    hist.clear();
    cur = File{};
  };
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    const std::string_view line = trim_blanks(raw);
    if (line.empty()) continue;
    if (line.size() >= 6 && line.substr(0, 3) == "/* " && line.substr(line.size() - 3) == " */") {
      if (open) close();
      open = true;
      cur.path = std::string(line.substr(3, line.size() - 6));
      cur.implicit = true;
      continue;
    }
    if (!open) throw Error(where_line(name, line_no) + ": a consolidated symtypes file starts with a '/* <file> */' line");
    std::uint32_t key, def;
    bool shorthand;
    parse_line(line, key, def, true, shorthand, name, line_no);
    recs.push_back({key, def});
    if (!shorthand) hist.emplace_back(key, def);
  }
  if (open) close();
}

// ksymtypes' first consolidated format (its early releases): every distinct record once, a
// type with several variants as "s#foo@0", "s#foo@1", then one "F#<path> <name>..." line per
// file naming its exports and the variants it uses; a type a file does not name is the one
// record without a variant.
void SymtypesCorpus::add_consolidated_f(std::string_view text, std::string_view name) {
  std::unordered_map<std::string, std::uint32_t> variants;  // "s#foo@1" -> def
  std::vector<std::pair<std::uint32_t, std::uint32_t>> plain;  // (key, def) without a variant
  struct FileLine {
    std::string_view line;
    std::size_t line_no;
  };
  std::vector<FileLine> file_lines;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = trim_blanks(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (line.empty()) continue;
    if (line.substr(0, 2) == "F#") {
      file_lines.push_back({line, line_no});
      continue;
    }
    std::size_t e = 0;
    while (e < line.size() && !is_blank(line[e])) ++e;
    const std::string_view full_name = line.substr(0, e);
    const std::size_t at = full_name.rfind('@');
    if (at != std::string_view::npos && at > 0) {
      std::string rebuilt(full_name.substr(0, at));
      rebuilt += line.substr(e);
      std::uint32_t key, def;
      bool shorthand;
      parse_line(rebuilt, key, def, false, shorthand, name, line_no);
      if (!variants.emplace(std::string(full_name), def).second)
        throw Error(where_line(name, line_no) + ": duplicate record '" + std::string(full_name) + "'");
      continue;
    }
    std::uint32_t key, def;
    bool shorthand;
    parse_line(line, key, def, false, shorthand, name, line_no);
    plain.emplace_back(key, def);
  }
  const auto first = static_cast<std::uint32_t>(files_.size());
  for (auto [k, d] : plain) {
    if (!history_[k].empty() && history_[k].back().key == first)
      throw Error(std::string(name) + ": duplicate record '" + std::string(key_names_[k]) + "'");
    history_[k].push_back({first, d});
  }
  std::vector<Rec> recs;
  for (const FileLine& fl : file_lines) {
    std::string_view rest = fl.line.substr(2);
    std::size_t e = 0;
    while (e < rest.size() && !is_blank(rest[e])) ++e;
    File f;
    f.path = std::string(rest.substr(0, e));
    f.implicit = true;
    rest = trim_blanks(rest.substr(e));
    while (!rest.empty()) {
      std::size_t w = 0;
      while (w < rest.size() && !is_blank(rest[w])) ++w;
      const std::string_view ref = rest.substr(0, w);
      rest = trim_blanks(rest.substr(w));
      if (auto it = variants.find(std::string(ref)); it != variants.end()) {
        recs.push_back({defs_[it->second].key, it->second});
        continue;
      }
      const std::uint32_t k = find_key(ref);
      if (k == kNoId || history_[k].empty() || history_[k].back().key != first)
        throw Error(where_line(name, fl.line_no) + ": type '" + std::string(ref) + "' is not known");
      recs.push_back({k, history_[k].back().def});
    }
    finish_file(std::move(f), recs, name);
  }
}

void SymtypesCorpus::add_directory(const std::string& dir) {
  std::vector<fs::path> paths;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec), end;
  if (ec) throw Error(dir + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw Error(dir + ": " + ec.message());
    if (it->is_symlink()) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".symtypes") paths.push_back(it->path());
  }
  std::sort(paths.begin(), paths.end());
  for (const fs::path& p : paths) {
    const Input in = Input::from_path(p.string());  // released once its distinct records are copied
    add_file(p.lexically_relative(dir).string(), in.bytes());
  }
}

std::uint32_t SymtypesCorpus::lookup(std::uint32_t f, std::uint32_t k) const {
  const File& file = files_[f];
  const Rec* b = recs_.data() + file.rec_begin;
  const Rec* e = b + file.rec_count;
  const Rec* it = std::lower_bound(b, e, k, [](const Rec& r, std::uint32_t key) { return r.key < key; });
  if (it != e && it->key == k) return it->def;
  if (!file.implicit || k >= history_.size()) return kNoId;
  // The last definition of k in this or an earlier section (Rec::key holds the section here).
  const std::vector<Rec>& h = history_[k];
  auto up = std::upper_bound(h.begin(), h.end(), f, [](std::uint32_t file_idx, const Rec& r) { return file_idx < r.key; });
  return up == h.begin() ? kNoId : std::prev(up)->def;
}

const SymtypesCorpus::ExportRef* SymtypesCorpus::find_export(std::string_view name) const {
  auto it = export_ids_.find(name);
  return it == export_ids_.end() ? nullptr : &exports_[it->second];
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> SymtypesCorpus::complete_records(std::uint32_t f) const {
  const File& file = files_[f];
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  std::vector<std::uint8_t> seen(key_names_.size());
  for (std::uint32_t i = 0; i < file.rec_count; ++i) {
    const Rec& r = recs_[file.rec_begin + i];
    out.emplace_back(r.key, r.def);
    seen[r.key] = 1;
  }
  if (file.implicit) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      for (const SymToken& t : tokens(defs_[out[i].second])) {
        if (!t.is_ref() || seen[t.ref]) continue;
        seen[t.ref] = 1;
        const std::uint32_t d = lookup(f, t.ref);
        if (d != kNoId) out.emplace_back(t.ref, d);
      }
    }
  }
  std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return key_names_[a.first] < key_names_[b.first]; });
  return out;
}

std::shared_ptr<const SymtypesCorpus> load_symtypes(const std::string& path) {
  auto corpus = std::make_shared<SymtypesCorpus>();
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) throw Error(path + ": no such file or directory (symtypes)", 2);
  if (fs::is_directory(st)) {
    corpus->add_directory(path);
    if (corpus->file_count() == 0) throw Error(path + ": no .symtypes files in this directory", 2);
    return corpus;
  }
  const Input in = Input::from_path(path);
  const std::string_view text = in.bytes();
  std::string_view first = text.substr(0, text.find('\n'));
  while (!first.empty() && is_blank(first.back())) first.remove_suffix(1);
  if (first.substr(0, 3) == "/* ") corpus->add_consolidated(text, path);
  else if (text.find("\nF#") != std::string_view::npos || text.substr(0, 2) == "F#") corpus->add_consolidated_f(text, path);
  else corpus->add_file(fs::path(path).filename().string(), text);  // one plain symtypes file
  return corpus;
}

std::string consolidated_text(const SymtypesCorpus& c) {
  std::vector<std::uint32_t> order(c.file_count());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return c.file_path(a) < c.file_path(b); });
  std::vector<std::uint32_t> active(c.key_count(), kNoId);
  std::string out;
  bool first = true;
  for (std::uint32_t f : order) {
    auto recs = c.complete_records(f);
    // ksymtypes' order: types before exports, each by name
    std::stable_partition(recs.begin(), recs.end(),
                          [&](const auto& r) { return key_kind(c.key_name(r.first)) != KeyKind::Export; });
    if (!first) out += '\n';
    first = false;
    out += "/* ";
    out += c.file_path(f);
    out += " */\n";
    for (auto [k, d] : recs) {
      const std::string_view name = c.key_name(k);
      const Definition& def = c.definition(d);
      const KeyKind kind = key_kind(name);
      if (kind != KeyKind::Export && kind != KeyKind::EnumConst && kind != KeyKind::Typedef &&
          is_unknown_body(c.tokens(def)) && c.tokens(def)[0].text == kind_word(name[0]) &&
          c.tokens(def)[1].text == name.substr(2)) {
        out += name.substr(0, 1);
        out += "##";
        out += name.substr(2);
        out += '\n';
        continue;
      }
      if (active[k] == d) continue;
      active[k] = d;
      out += name;
      if (!def.body.empty()) {
        out += ' ';
        out += def.body;
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace modforge::abi
