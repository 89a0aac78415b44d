// `modforge check abi OLD NEW` (issue 14): what changed between two kernels' exported
// symbols (Module.symvers), and with symtypes on both sides why each CRC changed, grouped by
// the type change that caused it.  This header is the model the pieces share: the symvers
// comparison and the waivers fill `changes`, the symtypes explanation fills `causes`, the
// reports (text, JSON, JUnit, Markdown) read all of it.
#pragma once
#include <string>
#include <vector>

namespace modforge::abi {

// One exported symbol that differs between the two Module.symvers.
struct SymbolChange {
  std::string symbol;
  // "removed", "added", "crc", "export-type" (EXPORT_SYMBOL <-> EXPORT_SYMBOL_GPL),
  // "namespace", "module" (moved to another module, or between vmlinux and a module).
  // A symbol with several differences has one SymbolChange per kind.
  std::string kind;
  std::string old_value, new_value;  // "0x1234abcd", "EXPORT_SYMBOL_GPL", "NS", "drivers/net/foo"
  std::string old_module, new_module;  // as Module.symvers names them ("vmlinux", "drivers/net/foo")
  bool breaks = false;                 // counted as a break (before the waivers)
  std::string waived_by;               // the waiver that matched ("file:line: rule"), empty if none
  std::string root_cause;              // RootCause::key of its cause, for "crc" with symtypes
  // Every cause's key when several types changed under one export, the nearest first
  // (root_cause is the first).
  std::vector<std::string> root_causes;
};

// One difference inside a changed type, in plain terms.
struct TypeDetail {
  // "member-added", "member-removed", "member-retyped", "member-reordered",
  // "enumerator-added", "enumerator-removed", "enumerator-revalued",
  // "typedef-retargeted", "return-type", "parameter-added", "parameter-removed",
  // "parameter-retyped", "became-defined", "became-declared", "variable-retyped" (an exported
  // variable's type), "other"
  std::string what;
  std::string name;                  // member / enumerator / parameter name (or "2" for an unnamed parameter)
  std::string old_text, new_text;    // its declaration before / after, as symtypes tokens joined by spaces
  int old_index = -1, new_index = -1;  // position among the members / enumerators / parameters
};

// The path from an export to the changed type, e.g. for `dev_queue_xmit`:
// {"parameter 1 (skb)", "struct sk_buff", "member dev", "struct net_device"} — the last step
// names the RootCause's type.
using Chain = std::vector<std::string>;

// One root cause: a type (or an export's own declaration) whose definition changed, with
// every export whose CRC it changed.
struct RootCause {
  std::string key;   // the symtypes key: "s#sk_buff", "t#gfp_t", "e#pid_type", "E#X", or the export's own name
  std::string type;  // readable: "struct sk_buff", "typedef gfp_t", "enum pid_type", "dev_queue_xmit"
  // "break"; "became-defined" (declaration-only UNKNOWN before, defined now);
  // "enum-appended" (only enumerators added after the last one);
  // "no-type-change" (the CRC changed but every expanded type is identical: a toolchain or
  // attribute difference; key and type are empty, `exports` lists the symbols)
  std::string cls;
  std::vector<TypeDetail> details;
  std::vector<std::string> exports;  // affected exports, sorted
  std::vector<Chain> chains;         // chains[i] for exports[i]
};

struct AbiDiff {
  std::vector<SymbolChange> changes;        // sorted by symbol, then kind
  bool have_symtypes = false;               // both sides came with symtypes
  std::vector<RootCause> causes;            // by number of exports, descending
  std::vector<std::string> unexplained;     // CRC changes the symtypes did not explain
  std::vector<std::string> stale_waivers;   // "file:line: rule" of waivers that matched nothing
};

}  // namespace modforge::abi
