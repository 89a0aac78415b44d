#include "genksyms/grammar.h"

#include <array>

namespace modforge::genksyms {

namespace {

#define R(lhs, line, ...) Rule{lhs, static_cast<std::uint8_t>(std::initializer_list<Sym>{__VA_ARGS__}.size()), {__VA_ARGS__}, line}
#define E(lhs, line) Rule{lhs, 0, {}, line}

// Rule n here is rule n of the real parser.  Mid-rule actions are their own empty rules
// (mid_1..mid_3), placed just before the rule that holds them, as bison places them.
constexpr Rule kRules[] = {
    R(N_accept, 116, declaration_seq, S_END),
    R(declaration_seq, 116, declaration),
    R(declaration_seq, 117, declaration_seq, declaration),
    E(mid_1, 121),
    R(declaration, 121, mid_1, declaration1),
    E(mid_2, 127),
    R(declaration1, 127, EXTENSION_KEYW, TYPEDEF_KEYW, mid_2, simple_declaration),
    E(mid_3, 129),
    R(declaration1, 129, TYPEDEF_KEYW, mid_3, simple_declaration),
    R(declaration1, 131, simple_declaration),
    R(declaration1, 132, function_definition),
    R(declaration1, 133, asm_definition),
    R(declaration1, 134, export_definition),
    R(declaration1, 135, static_assert_decl),
    R(declaration1, 136, S_error, T_SEMI),
    R(declaration1, 137, S_error, T_RBRACE),
    R(simple_declaration, 141, decl_specifier_seq_opt, init_declarator_list_opt, T_SEMI),
    E(init_declarator_list_opt, 155),
    R(init_declarator_list_opt, 156, init_declarator_list),
    R(init_declarator_list, 160, init_declarator),
    R(init_declarator_list, 173, init_declarator_list, T_COMMA, init_declarator),
    R(init_declarator, 191, declarator, asm_phrase_opt, attribute_opt, initializer_opt),
    E(decl_specifier_seq_opt, 197),
    R(decl_specifier_seq_opt, 198, decl_specifier_seq),
    R(decl_specifier_seq, 202, decl_specifier),
    R(decl_specifier_seq, 203, decl_specifier_seq, decl_specifier),
    R(decl_specifier, 207, storage_class_specifier),
    R(decl_specifier, 213, type_specifier),
    R(storage_class_specifier, 217, AUTO_KEYW),
    R(storage_class_specifier, 218, REGISTER_KEYW),
    R(storage_class_specifier, 219, STATIC_KEYW),
    R(storage_class_specifier, 220, EXTERN_KEYW),
    R(storage_class_specifier, 221, INLINE_KEYW),
    R(type_specifier, 225, simple_type_specifier),
    R(type_specifier, 226, cvar_qualifier),
    R(type_specifier, 227, TYPEOF_KEYW, T_LPAREN, parameter_declaration, T_RPAREN),
    R(type_specifier, 228, TYPEOF_PHRASE),
    R(type_specifier, 232, STRUCT_KEYW, IDENT),
    R(type_specifier, 234, UNION_KEYW, IDENT),
    R(type_specifier, 236, ENUM_KEYW, IDENT),
    R(type_specifier, 240, STRUCT_KEYW, IDENT, class_body),
    R(type_specifier, 242, UNION_KEYW, IDENT, class_body),
    R(type_specifier, 244, ENUM_KEYW, IDENT, enum_body),
    R(type_specifier, 249, ENUM_KEYW, enum_body),
    R(type_specifier, 252, STRUCT_KEYW, class_body),
    R(type_specifier, 253, UNION_KEYW, class_body),
    R(simple_type_specifier, 257, CHAR_KEYW),
    R(simple_type_specifier, 258, SHORT_KEYW),
    R(simple_type_specifier, 259, INT_KEYW),
    R(simple_type_specifier, 260, LONG_KEYW),
    R(simple_type_specifier, 261, SIGNED_KEYW),
    R(simple_type_specifier, 262, UNSIGNED_KEYW),
    R(simple_type_specifier, 263, FLOAT_KEYW),
    R(simple_type_specifier, 264, DOUBLE_KEYW),
    R(simple_type_specifier, 265, VOID_KEYW),
    R(simple_type_specifier, 266, BOOL_KEYW),
    R(simple_type_specifier, 267, VA_LIST_KEYW),
    R(simple_type_specifier, 268, BUILTIN_INT_KEYW),
    R(simple_type_specifier, 269, TYPE),
    R(ptr_operator, 273, T_STAR, cvar_qualifier_seq_opt),
    E(cvar_qualifier_seq_opt, 278),
    R(cvar_qualifier_seq_opt, 279, cvar_qualifier_seq),
    R(cvar_qualifier_seq, 283, cvar_qualifier),
    R(cvar_qualifier_seq, 284, cvar_qualifier_seq, cvar_qualifier),
    R(cvar_qualifier, 288, CONST_KEYW),
    R(cvar_qualifier, 288, VOLATILE_KEYW),
    R(cvar_qualifier, 288, ATTRIBUTE_PHRASE),
    R(cvar_qualifier, 289, RESTRICT_KEYW),
    R(declarator, 297, ptr_operator, declarator),
    R(declarator, 298, direct_declarator),
    R(direct_declarator, 302, IDENT),
    R(direct_declarator, 311, TYPE),
    R(direct_declarator, 320, direct_declarator, T_LPAREN, parameter_declaration_clause, T_RPAREN),
    R(direct_declarator, 322, direct_declarator, T_LPAREN, S_error, T_RPAREN),
    R(direct_declarator, 324, direct_declarator, BRACKET_PHRASE),
    R(direct_declarator, 326, T_LPAREN, declarator, T_RPAREN),
    R(nested_declarator, 333, ptr_operator, nested_declarator),
    R(nested_declarator, 334, direct_nested_declarator),
    R(direct_nested_declarator, 338, IDENT),
    R(direct_nested_declarator, 339, TYPE),
    R(direct_nested_declarator, 340, direct_nested_declarator, T_LPAREN, parameter_declaration_clause, T_RPAREN),
    R(direct_nested_declarator, 342, direct_nested_declarator, T_LPAREN, S_error, T_RPAREN),
    R(direct_nested_declarator, 344, direct_nested_declarator, BRACKET_PHRASE),
    R(direct_nested_declarator, 346, T_LPAREN, nested_declarator, T_RPAREN),
    R(direct_nested_declarator, 348, T_LPAREN, S_error, T_RPAREN),
    R(parameter_declaration_clause, 353, parameter_declaration_list_opt, DOTS),
    R(parameter_declaration_clause, 354, parameter_declaration_list_opt),
    R(parameter_declaration_clause, 355, parameter_declaration_list, T_COMMA, DOTS),
    E(parameter_declaration_list_opt, 359),
    R(parameter_declaration_list_opt, 360, parameter_declaration_list),
    R(parameter_declaration_list, 364, parameter_declaration),
    R(parameter_declaration_list, 365, parameter_declaration_list, T_COMMA, parameter_declaration),
    R(parameter_declaration, 370, decl_specifier_seq, m_abstract_declarator),
    R(m_abstract_declarator, 375, ptr_operator, m_abstract_declarator),
    R(m_abstract_declarator, 377, direct_m_abstract_declarator),
    E(direct_m_abstract_declarator, 381),
    R(direct_m_abstract_declarator, 382, IDENT),
    R(direct_m_abstract_declarator, 390, TYPE),
    R(direct_m_abstract_declarator, 394, direct_m_abstract_declarator, T_LPAREN, parameter_declaration_clause, T_RPAREN),
    R(direct_m_abstract_declarator, 396, direct_m_abstract_declarator, T_LPAREN, S_error, T_RPAREN),
    R(direct_m_abstract_declarator, 398, direct_m_abstract_declarator, BRACKET_PHRASE),
    R(direct_m_abstract_declarator, 400, T_LPAREN, m_abstract_declarator, T_RPAREN),
    R(direct_m_abstract_declarator, 402, T_LPAREN, S_error, T_RPAREN),
    R(function_definition, 407, decl_specifier_seq_opt, declarator, BRACE_PHRASE),
    E(initializer_opt, 416),
    R(initializer_opt, 417, initializer),
    R(initializer, 422, T_ASSIGN, EXPRESSION_PHRASE),
    R(class_body, 427, T_LBRACE, member_specification_opt, T_RBRACE),
    R(class_body, 428, T_LBRACE, S_error, T_RBRACE),
    E(member_specification_opt, 432),
    R(member_specification_opt, 433, member_specification),
    R(member_specification, 437, member_declaration),
    R(member_specification, 438, member_specification, member_declaration),
    R(member_declaration, 442, decl_specifier_seq_opt, member_declarator_list_opt, T_SEMI),
    R(member_declaration, 444, S_error, T_SEMI),
    E(member_declarator_list_opt, 449),
    R(member_declarator_list_opt, 450, member_declarator_list),
    R(member_declarator_list, 454, member_declarator),
    R(member_declarator_list, 455, member_declarator_list, T_COMMA, member_declarator),
    R(member_declarator, 459, nested_declarator, attribute_opt),
    R(member_declarator, 460, IDENT, member_bitfield_declarator),
    R(member_declarator, 461, member_bitfield_declarator),
    R(member_bitfield_declarator, 465, T_COLON, EXPRESSION_PHRASE),
    E(attribute_opt, 469),
    R(attribute_opt, 470, attribute_opt, ATTRIBUTE_PHRASE),
    R(enum_body, 474, T_LBRACE, enumerator_list, T_RBRACE),
    R(enum_body, 475, T_LBRACE, enumerator_list, T_COMMA, T_RBRACE),
    R(enumerator_list, 479, enumerator),
    R(enumerator_list, 480, enumerator_list, T_COMMA, enumerator),
    R(enumerator, 483, IDENT),
    R(enumerator, 488, IDENT, T_ASSIGN, EXPRESSION_PHRASE),
    R(asm_definition, 496, ASM_PHRASE, T_SEMI),
    E(asm_phrase_opt, 500),
    R(asm_phrase_opt, 501, ASM_PHRASE),
    R(export_definition, 505, EXPORT_SYMBOL_KEYW, T_LPAREN, IDENT, T_RPAREN, T_SEMI),
    R(static_assert_decl, 511, STATIC_ASSERT_PHRASE, T_SEMI),
};
#undef R
#undef E

constexpr std::string_view kNames[kNumSymbols] = {
    "\"end of file\"", "error", "\"invalid token\"", "ASM_KEYW", "ATTRIBUTE_KEYW", "AUTO_KEYW",
    "BOOL_KEYW", "BUILTIN_INT_KEYW", "CHAR_KEYW", "CONST_KEYW", "DOUBLE_KEYW", "ENUM_KEYW",
    "EXTERN_KEYW", "EXTENSION_KEYW", "FLOAT_KEYW", "INLINE_KEYW", "INT_KEYW", "LONG_KEYW",
    "REGISTER_KEYW", "RESTRICT_KEYW", "SHORT_KEYW", "SIGNED_KEYW", "STATIC_KEYW",
    "STATIC_ASSERT_KEYW", "STRUCT_KEYW", "TYPEDEF_KEYW", "UNION_KEYW", "UNSIGNED_KEYW",
    "VOID_KEYW", "VOLATILE_KEYW", "TYPEOF_KEYW", "VA_LIST_KEYW", "EXPORT_SYMBOL_KEYW",
    "ASM_PHRASE", "ATTRIBUTE_PHRASE", "TYPEOF_PHRASE", "BRACE_PHRASE", "BRACKET_PHRASE",
    "EXPRESSION_PHRASE", "STATIC_ASSERT_PHRASE", "CHAR", "DOTS", "IDENT", "INT", "REAL",
    "STRING", "TYPE", "OTHER", "FILENAME", "';'", "'}'", "','", "'('", "')'", "'*'", "'='",
    "'{'", "':'", "$accept", "declaration_seq", "declaration", "$@1", "declaration1", "$@2",
    "$@3", "simple_declaration", "init_declarator_list_opt", "init_declarator_list",
    "init_declarator", "decl_specifier_seq_opt", "decl_specifier_seq", "decl_specifier",
    "storage_class_specifier", "type_specifier", "simple_type_specifier", "ptr_operator",
    "cvar_qualifier_seq_opt", "cvar_qualifier_seq", "cvar_qualifier", "declarator",
    "direct_declarator", "nested_declarator", "direct_nested_declarator",
    "parameter_declaration_clause", "parameter_declaration_list_opt",
    "parameter_declaration_list", "parameter_declaration", "m_abstract_declarator",
    "direct_m_abstract_declarator", "function_definition", "initializer_opt", "initializer",
    "class_body", "member_specification_opt", "member_specification", "member_declaration",
    "member_declarator_list_opt", "member_declarator_list", "member_declarator",
    "member_bitfield_declarator", "attribute_opt", "enum_body", "enumerator_list", "enumerator",
    "asm_definition", "asm_phrase_opt", "export_definition", "static_assert",
};

}  // namespace

std::span<const Rule> rules() { return kRules; }

std::string_view symbol_name(int sym) { return kNames[sym]; }

int translate_char(int c) {
  switch (c) {
    case ';': return T_SEMI;
    case '}': return T_RBRACE;
    case ',': return T_COMMA;
    case '(': return T_LPAREN;
    case ')': return T_RPAREN;
    case '*': return T_STAR;
    case '=': return T_ASSIGN;
    case '{': return T_LBRACE;
    case ':': return T_COLON;
    default: return S_UNDEF;
  }
}

}  // namespace modforge::genksyms
