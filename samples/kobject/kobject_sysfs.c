// SPDX-License-Identifier: GPL-2.0
/*
 * modforge sample: a kobject under /sys/kernel/ (kernel_kobj) with an attribute group:
 *   /sys/kernel/modforge_sample/counter   read-write integer
 *   /sys/kernel/modforge_sample/reset     write-only: any write sets counter to 0
 *   /sys/kernel/modforge_sample/version   read-only text
 * The directory appears on insmod and goes away with the kobject's last reference on rmmod.
 */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>
#include <linux/string.h>

static struct kobject *sample_kobj;
static int counter;

static ssize_t counter_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", counter);
}

static ssize_t counter_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	int ret = kstrtoint(buf, 10, &counter);

	return ret ? ret : count;
}

static ssize_t reset_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	counter = 0;
	return count;
}

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "modforge sample 1\n");
}

static struct kobj_attribute counter_attr = __ATTR_RW(counter);
static struct kobj_attribute reset_attr = __ATTR_WO(reset);
static struct kobj_attribute version_attr = __ATTR_RO(version);

static struct attribute *sample_attrs[] = {
	&counter_attr.attr,
	&reset_attr.attr,
	&version_attr.attr,
	NULL,
};

static const struct attribute_group sample_group = {
	.attrs = sample_attrs,
};

static int __init kobject_sysfs_init(void)
{
	int ret;

	sample_kobj = kobject_create_and_add("modforge_sample", kernel_kobj);
	if (!sample_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(sample_kobj, &sample_group);
	if (ret)
		kobject_put(sample_kobj);
	return ret;
}

static void __exit kobject_sysfs_exit(void)
{
	kobject_put(sample_kobj);	/* removes the directory and its files */
}

module_init(kobject_sysfs_init);
module_exit(kobject_sysfs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge sample: a kobject with sysfs attributes");
