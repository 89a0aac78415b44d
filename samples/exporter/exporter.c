// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small module that exports symbols whose types reach deep into the kernel's headers
 * (files, lists, work queues, a namespace), so their CRCs exercise genksyms for real.
 */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/workqueue.h>

struct exporter_item {
	struct list_head node;
	struct work_struct work;
	unsigned int flags : 3;
	union {
		u64 cookie;
		void *ptr;
	};
};

enum exporter_mode { EXPORTER_OFF, EXPORTER_ON = 4, EXPORTER_AUTO };

typedef int (*exporter_cb)(struct file *, enum exporter_mode);

static LIST_HEAD(exporter_items);

int exporter_register(struct exporter_item *item, exporter_cb cb)
{
	list_add(&item->node, &exporter_items);
	return cb ? cb(NULL, EXPORTER_ON) : 0;
}
EXPORT_SYMBOL(exporter_register);

void exporter_unregister(struct exporter_item *item)
{
	list_del(&item->node);
}
EXPORT_SYMBOL_GPL(exporter_unregister);

long exporter_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return -ENOTTY;
}
EXPORT_SYMBOL_NS_GPL(exporter_ioctl, MODFORGE);

const struct file_operations exporter_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = exporter_ioctl,
};
EXPORT_SYMBOL(exporter_fops);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge sample: symbols with rich types");
