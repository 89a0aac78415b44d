/* Sections declared without flags are PROGBITS but not SHF_ALLOC: modpost warns
 * about each one unless its name is on the list of known non-allocated sections
 * (.comment*, .note*, .debug*, ...). */
	.section .secmis_table
	.long 1, 2, 3
	.section .secmis_strings
	.asciz "forgot the flags"
	.section .comment.secmis
	.asciz "whitelisted"
	.section .rodata.secmis, "a"
	.long 4
