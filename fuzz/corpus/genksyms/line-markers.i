# 1 "a.c"
# 1 "<built-in>"
#   7 "tabs\"and quotes.h" 1 3 4
int in_hdr(void);
# 0x10 "hex.h"
int in_hex(void);
# 010 "octal.h" 2
int in_oct(void);
#pragma pack(1)
# 99999999999 "big.h"
int in_big(void);
#ident "x"
# 5u "a.c"
int in_src_again(void);
__GENKSYMS_EXPORT_SYMBOL(in_hdr);
__GENKSYMS_EXPORT_SYMBOL(in_hex);
__GENKSYMS_EXPORT_SYMBOL(in_oct);
__GENKSYMS_EXPORT_SYMBOL(in_big);
__GENKSYMS_EXPORT_SYMBOL(in_src_again);
  # 3 "notamarker.h"
int z; syntax error here ) ;
# 4 "noeol.h"