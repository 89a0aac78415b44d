// read_symbols(): one object named on the command line or in a -T list becomes a module:
// its licence and imports from .modinfo, its exports, its unresolved symbols, its device
// tables, the section-mismatch walk, its srcversion and its CRCs.
//
// The work is split so that objects can be read two at a time: scan_object() does all that
// needs only the object and its files, into an ObjectScan (its messages in a report of its
// own, the exports it declares marked at the point of the report where each is declared);
// apply_object() then adds it to the run in command-line order, so the "exported twice"
// checks and every message come out exactly where the real tool prints them.
#pragma once
#include <exception>
#include <string>
#include <vector>

#include "modpost/context.h"
#include "modpost/crcs.h"
#include "modpost/exports.h"

namespace modforge::modpost {

struct ObjectScan {
  struct Declared {
    std::size_t at;  // report text length when the real tool adds it
    DeclaredExport e;
    bool namespace_only = false;  // 6.1: a __kstrtabns_ entry for an export
  };
  std::string path;
  Report report;
  bool has_module = false;
  std::string module_name;
  bool has_init = false, has_cleanup = false, gpl_compatible = true;
  std::vector<std::string> imported_ns;
  std::string dev_table, srcversion;
  std::vector<Declared> declared;
  std::vector<std::pair<std::string, bool>> unresolved;  // name, weak
  std::vector<SymverLine> symvers;
  std::exception_ptr stop;  // the run ends after this object (a fatal error)

  explicit ObjectScan(Kernel k) : report(k) {}
};

ObjectScan scan_object(const Context& cx, const std::string& path);
void apply_object(Context& cx, ObjectScan& scan);

// The objects in order: scanned two at a time, applied one after another.
void read_objects(Context& cx, const std::vector<std::string>& paths);

// read_symbols_from_files(): every line of the -T list is an object.
void read_object_list(Context& cx, const std::string& list);

// remove_dot(), as read_symbols applies it to every symbol name.
std::string_view remove_dot(std::string_view s);

}  // namespace modforge::modpost
