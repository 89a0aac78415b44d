// The reports of `modforge check abi`: text for people, JSON (schema "modforge-check-abi/1",
// abi/README.md), JUnit XML for CI (one testcase per changed symbol), Markdown for a pull
// request comment.  Each starts with the summary, then the root causes (with symtypes), then
// the symbols.
#pragma once
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "abi/abi_diff.h"

namespace modforge::abi {

struct AbiSide {
  std::string given;      // as the user named it
  std::string symvers;    // the Module.symvers read ("<deb>:usr/src/.../Module.symvers" for a package)
  std::size_t exports = 0;
};

struct AbiReport {
  AbiSide old_side, new_side;
  const AbiDiff* diff = nullptr;
};

struct AbiSummary {
  std::size_t changes = 0, symbols = 0;  // changes, and the distinct symbols they concern
  std::size_t removed = 0, added = 0, crc = 0, export_type = 0, ns = 0, moved = 0;
  std::size_t breaks = 0;  // breaks outside the waivers: the exit status is 1 when not 0
  std::size_t waived = 0;  // breaks a waiver covers
};

AbiSummary summarize(const AbiDiff& d);
// A break no waiver covers.
inline bool unwaived_break(const SymbolChange& c) { return c.breaks && c.waived_by.empty(); }
// "0x1234 -> 0x5678", "EXPORT_SYMBOL -> EXPORT_SYMBOL_GPL", "(none) -> NS", "vmlinux -> drivers/x";
// "was 0x1234 in vmlinux" (removed), "0x1234 in vmlinux" (added)
std::string change_text(const SymbolChange& c);
// "member-added", "became-defined" ... in words, for the text and Markdown reports.
std::string detail_text(const TypeDetail& t);

// "dev_queue_xmit -> parameter 1 (skb) -> struct sk_buff" (the export first).
std::string chain_text(const std::string& symbol, const Chain& chain);

void write_abi_text(std::ostream& out, const AbiReport& r);
void write_abi_json(std::ostream& out, const AbiReport& r);
void write_abi_junit(std::ostream& out, const AbiReport& r);
void write_abi_markdown(std::ostream& out, const AbiReport& r);

}  // namespace modforge::abi
