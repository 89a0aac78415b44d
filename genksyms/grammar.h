// The C-declaration grammar genksyms parses, as data: symbols and rules numbered exactly as
// bison numbers those of the kernel's parse.y (the real tool's parser traces print these
// numbers), plus the source line bison reports for each rule in those traces.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

namespace modforge::genksyms {

enum Sym : std::uint8_t {
  // terminals
  S_END, S_error, S_UNDEF,
  ASM_KEYW, ATTRIBUTE_KEYW, AUTO_KEYW, BOOL_KEYW, BUILTIN_INT_KEYW, CHAR_KEYW, CONST_KEYW,
  DOUBLE_KEYW, ENUM_KEYW, EXTERN_KEYW, EXTENSION_KEYW, FLOAT_KEYW, INLINE_KEYW, INT_KEYW,
  LONG_KEYW, REGISTER_KEYW, RESTRICT_KEYW, SHORT_KEYW, SIGNED_KEYW, STATIC_KEYW,
  STATIC_ASSERT_KEYW, STRUCT_KEYW, TYPEDEF_KEYW, UNION_KEYW, UNSIGNED_KEYW, VOID_KEYW,
  VOLATILE_KEYW, TYPEOF_KEYW, VA_LIST_KEYW, EXPORT_SYMBOL_KEYW, ASM_PHRASE, ATTRIBUTE_PHRASE,
  TYPEOF_PHRASE, BRACE_PHRASE, BRACKET_PHRASE, EXPRESSION_PHRASE, STATIC_ASSERT_PHRASE,
  CHAR_LIT, DOTS, IDENT, INT_LIT, REAL_LIT, STRING_LIT, TYPE, OTHER, FILENAME,
  T_SEMI, T_RBRACE, T_COMMA, T_LPAREN, T_RPAREN, T_STAR, T_ASSIGN, T_LBRACE, T_COLON,
  // nonterminals
  N_accept, declaration_seq, declaration, mid_1, declaration1, mid_2, mid_3,
  simple_declaration, init_declarator_list_opt, init_declarator_list, init_declarator,
  decl_specifier_seq_opt, decl_specifier_seq, decl_specifier, storage_class_specifier,
  type_specifier, simple_type_specifier, ptr_operator, cvar_qualifier_seq_opt,
  cvar_qualifier_seq, cvar_qualifier, declarator, direct_declarator, nested_declarator,
  direct_nested_declarator, parameter_declaration_clause, parameter_declaration_list_opt,
  parameter_declaration_list, parameter_declaration, m_abstract_declarator,
  direct_m_abstract_declarator, function_definition, initializer_opt, initializer, class_body,
  member_specification_opt, member_specification, member_declaration,
  member_declarator_list_opt, member_declarator_list, member_declarator,
  member_bitfield_declarator, attribute_opt, enum_body, enumerator_list, enumerator,
  asm_definition, asm_phrase_opt, export_definition, static_assert_decl,
  kNumSymbols
};

constexpr int kNumTokens = N_accept;  // symbols below this are terminals

struct Rule {
  Sym lhs;
  std::uint8_t len;
  Sym rhs[5];
  std::uint16_t line;  // as the real tool's parser trace reports it
};

std::span<const Rule> rules();

// The name bison gives a symbol in traces ("IDENT", "';'", "$@1", ...).
std::string_view symbol_name(int sym);

// Maps what the scanner returns (a character or a named token) to a grammar terminal.
int translate_char(int c);

}  // namespace modforge::genksyms
