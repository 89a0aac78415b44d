// Module.symvers parsing and writing, checked against Debian's real files and, for every
// malformed case, against the verdict of the real modpost binaries run on the same file.
#include <cstdlib>
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/input.h"
#include "core/symvers.h"
#include "tests/support.h"

namespace modforge::test {
namespace {

struct Kernel {
  const char* name;
  const char* symvers;  // Debian's Module.symvers of that kernel
  // Debian's "modpost" is a wrapper that picks a binary from the first object's ELF
  // class; with no objects it runs nothing and exits 0, so the tests call the 64-bit one.
  const char* modpost;
  const char* fatal_prefix;  // modpost_log's prefix for fatal(): the one 6.1/6.12 difference
};
const Kernel kKernels[] = {
    {"6.1", "/usr/src/linux-headers-6.1.0-56-amd64/Module.symvers",
     "/usr/lib/linux-kbuild-6.1/scripts/mod/modpost.real-lsb-64", "FATAL: modpost: "},
    {"6.12", "/usr/src/linux-headers-6.12.117+deb12-amd64/Module.symvers",
     "/usr/lib/linux-kbuild-6.12.117+deb12/scripts/mod/modpost.real-lsb-64", "ERROR: modpost: "},
};

std::size_t wc_lines(const std::string& path) {
  Outcome r = run_program("/usr/bin/wc", {"-l", path}, "");
  EXPECT_EQ(r.exit_code, 0);
  return std::stoul(r.out);
}

TEST(CoreSymvers, RealFilesParseAndFormatBackByteForByte) {
  for (const Kernel& k : kKernels) {
    SCOPED_TRACE(k.name);
    Input in = Input::from_path(k.symvers);
    SymversFile f = parse_symvers(in.bytes(), k.symvers);
    EXPECT_EQ(f.entries.size(), wc_lines(k.symvers));
    EXPECT_TRUE(f.diagnostics.empty());
    EXPECT_TRUE(format_symvers(f.entries) == in.bytes());  // not EXPECT_EQ: 2 MB of diff
    // views into the mapped file, not copies
    const char* lo = in.bytes().data();
    const char* hi = lo + in.bytes().size();
    for (const auto& e : f.entries) ASSERT_TRUE(e.symbol.data() >= lo && e.ns.data() + e.ns.size() <= hi);
  }
}

// What our parser predicts the real modpost prints and returns for `-i FILE`.
Outcome predicted(std::string_view text, const Kernel& k) {
  Outcome o;
  try {
    SymversFile f = parse_symvers(text, "f");
    for (const auto& d : f.diagnostics) o.err += "ERROR: modpost: " + d.message;
    o.exit_code = f.diagnostics.empty() ? 0 : 1;
  } catch (const SymversParseError& e) {
    for (const auto& d : e.diagnostics()) o.err += "ERROR: modpost: " + d.message;
    o.err += k.fatal_prefix + std::string(kSymversParseError) + "\n";
    o.exit_code = e.exit_code();
  }
  return o;
}

TEST(CoreSymvers, OddAndMalformedLinesAsTheRealModpost) {
  // No case repeats a symbol: duplicate exports are modpost's symbol table's concern.
  const std::string cases[] = {
      "",
      "\n",
      "\n\n",
      "0x00000001\ta\tm\tEXPORT_SYMBOL\t",  // no final newline
      "0x00000001\ta\tm\tEXPORT_SYMBOL\t\n\n",  // blank last line
      "0x00000001\ta\tm\tEXPORT_SYMBOL\t\n\n0x2\tb\tm\tEXPORT_SYMBOL\t\n",
      "0x00000001\ta\tm\tEXPORT_SYMBOL\n",  // no namespace field
      "0x00000001\ta\tm\n",
      "0x00000001\ta\n",
      "0x00000001\n",
      "0x1\ta\tm\tEXPORT_SYMBOL\tNS\tmore\ttabs\n",
      "\ta\tm\tEXPORT_SYMBOL\t\n",  // empty crc: strtoul converts nothing, accepted
      " \ta\tm\tEXPORT_SYMBOL\t\n",
      " 0x1\ta\tm\tEXPORT_SYMBOL\t\n",
      "0x1 \ta\tm\tEXPORT_SYMBOL\t\n",
      "0x\ta\tm\tEXPORT_SYMBOL\t\n",
      "0xg\ta\tm\tEXPORT_SYMBOL\t\n",
      "-1\ta\tm\tEXPORT_SYMBOL\t\n",
      "+0X1f\ta\tm\tEXPORT_SYMBOL\t\n",
      "-\ta\tm\tEXPORT_SYMBOL\t\n",
      "abcdef\ta\tm\tEXPORT_SYMBOL\t\n",
      "0x123456789\ta\tm\tEXPORT_SYMBOL\t\n",
      "0xffffffffffffffffffff\ta\tm\tEXPORT_SYMBOL\t\n",
      "1g\ta\tm\tEXPORT_SYMBOL\t\n",
      "0x1\t\tm\tEXPORT_SYMBOL\t\n",
      "0x1\ta\t\tEXPORT_SYMBOL\t\n",
      "0x1\t\tm\tBOGUS\t\n",  // empty symbol is fatal before the type is looked at
      "0x1\ta\tm\tEXPORT_SYMBOL_GPL_FUTURE\tNS\n",
      "0x1\ta\tm\t\t\n",
      "0x1\ta\tm\tEXPORT_SYMBOL\r\t\n",
      "0x1\ta\tm\tEXPORT_SYMBOL\tNS\r\n",
      "0x1\ta\tm\tBOGUS\t\n0x2\tb\tm\tEXPORT_SYMBOL_GPL\t\n0x3\tc\tm\tWHAT\t\n",
      "0x1\ta\tm\tBOGUS\t\n0x2\tb\tm\n",  // a skipped line, then a fatal one
      std::string("0x1\ta\tm\tEXPORT_SYMBOL\t\n0x2\tb\0\n", 27),  // NUL ends the text
      std::string("0x1\ta\tm\tEXPORT_SYMBOL\t\n\0garbage\n", 33),
      "0x1\ta\tvmlinux\tEXPORT_SYMBOL_GPL\t\n0x2\tb\tm\tEXPORT_SYMBOL\tNS\n",
  };
  const std::string dir = temp_dir(), path = dir + "/Module.symvers";
  for (const std::string& text : cases) {
    write_file(path, text);
    for (const Kernel& k : kKernels) {
      SCOPED_TRACE(std::string(k.name) + " on \"" + text + "\"");
      Outcome real = run_program(k.modpost, {"-i", path}, "");
      Outcome ours = predicted(text, k);
      EXPECT_EQ(ours.err, real.err);
      EXPECT_EQ(ours.exit_code, real.exit_code);
    }
    // every accepted CRC is what strtoul(field, 16) makes of it
    try {
      SymversFile f = parse_symvers(text, "f");
      std::string_view rest(text.data(), text.find('\0') == std::string::npos ? text.size() : text.find('\0'));
      for (const auto& e : f.entries) {
        std::size_t start = std::string_view(rest.data(), e.symbol.data() - rest.data() - 1).rfind('\n');
        std::string field(rest.substr(start == std::string_view::npos ? 0 : start + 1,
                                      e.symbol.data() - 1 - (rest.data() + (start == std::string_view::npos ? 0 : start + 1))));
        EXPECT_EQ(e.crc, static_cast<uint32_t>(std::strtoul(field.c_str(), nullptr, 16))) << field;
      }
    } catch (const SymversParseError&) {
    }
  }
}

TEST(CoreSymvers, ParseErrorNamesFileAndLine) {
  try {
    parse_symvers("0x1\ta\tm\tBOGUS\t\n0x2\tb\n", "dir/Module.symvers");
    FAIL() << "no error";
  } catch (const SymversParseError& e) {
    EXPECT_STREQ(e.what(), "dir/Module.symvers:2: parse error in symbol dump file");
    EXPECT_EQ(e.line(), 2u);
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].line, 1u);
    EXPECT_EQ(e.exit_code(), 1);
  }
}

TEST(CoreSymvers, FieldsOrderAndFormat) {
  const std::string text =
      "0xdeadbeef\tz\tvmlinux\tEXPORT_SYMBOL_GPL\tNS\n0x1\ta\tm\tODD\t\n0x00000002\tb\tm\tEXPORT_SYMBOL\t\n";
  SymversFile f = parse_symvers(text, "f");
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[0].crc, 0xdeadbeefu);
  EXPECT_EQ(f.entries[0].symbol, "z");
  EXPECT_EQ(f.entries[0].module, "vmlinux");
  EXPECT_EQ(f.entries[0].export_type, "EXPORT_SYMBOL_GPL");
  EXPECT_TRUE(f.entries[0].gpl_only);
  EXPECT_EQ(f.entries[0].ns, "NS");
  EXPECT_EQ(f.entries[1].symbol, "b");
  EXPECT_FALSE(f.entries[1].gpl_only);
  ASSERT_EQ(f.diagnostics.size(), 1u);
  EXPECT_EQ(f.diagnostics[0].line, 2u);
  EXPECT_EQ(format_symvers(f.entries),
            "0xdeadbeef\tz\tvmlinux\tEXPORT_SYMBOL_GPL\tNS\n0x00000002\tb\tm\tEXPORT_SYMBOL\t\n");
}

TEST(CoreSymvers, MissingFileAsTheRealModpost) {
  const std::string path = temp_dir() + "/none";
  for (const Kernel& k : kKernels) {
    Outcome real = run_program(k.modpost, {"-i", path}, "");
    try {
      Input::from_path(path);
      FAIL() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()) + "\n", real.err);
      EXPECT_EQ(e.exit_code(), real.exit_code);
    }
  }
}

}  // namespace
}  // namespace modforge::test
