// SPDX-License-Identifier: GPL-2.0-only
/* A namespaced vmlinux export used without importing its namespace. */
#include <linux/module.h>
#include <crypto/internal/cipher.h>

int diag_missing_ns_setkey(struct crypto_cipher *tfm, const u8 *key, unsigned int len)
{
	return crypto_cipher_setkey(tfm, key, len);
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: missing namespace import");
