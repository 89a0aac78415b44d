// SPDX-License-Identifier: GPL-2.0
/* modforge load test: pci, platform, of, acpi and usb device tables. */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/mod_devicetable.h>
#include <linux/acpi.h>

static const struct pci_device_id load_devtable_pci_ids[] = {
	{ PCI_DEVICE(0x1d0f, 0xf00d) },
	{ PCI_DEVICE_SUB(0x1d0f, 0xf00e, 0x1d0f, 0x0001) },
	{ PCI_DEVICE_CLASS(0x118000, 0xffff00) },
	{ }
};
MODULE_DEVICE_TABLE(pci, load_devtable_pci_ids);

static const struct platform_device_id load_devtable_plat_ids[] = {
	{ "modforge-devtable" },
	{ "modforge-devtable-v2", 2 },
	{ }
};
MODULE_DEVICE_TABLE(platform, load_devtable_plat_ids);

static const struct of_device_id load_devtable_of_ids[] = {
	{ .compatible = "modforge,devtable" },
	{ .name = "mfdev", .type = "widget", .compatible = "modforge,devtable-v2" },
	{ }
};
MODULE_DEVICE_TABLE(of, load_devtable_of_ids);

static const struct acpi_device_id load_devtable_acpi_ids[] = {
	{ "MDFG0001", 0 },
	{ }
};
MODULE_DEVICE_TABLE(acpi, load_devtable_acpi_ids);

static const struct usb_device_id load_devtable_usb_ids[] = {
	{ .match_flags = USB_DEVICE_ID_MATCH_VENDOR | USB_DEVICE_ID_MATCH_PRODUCT, .idVendor = 0x1d6b, .idProduct = 0xf00d },
	{ .match_flags = USB_DEVICE_ID_MATCH_INT_CLASS, .bInterfaceClass = 0xfe },
	{ }
};
MODULE_DEVICE_TABLE(usb, load_devtable_usb_ids);

static int load_devtable_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return -ENODEV;
}

static struct pci_driver load_devtable_pci_driver = {
	.name = "load_devtable",
	.id_table = load_devtable_pci_ids,
	.probe = load_devtable_pci_probe,
};

static int load_devtable_plat_probe(struct platform_device *pdev)
{
	return -ENODEV;
}

static struct platform_driver load_devtable_plat_driver = {
	.driver = {
		.name = "load_devtable",
		.of_match_table = load_devtable_of_ids,
		.acpi_match_table = ACPI_PTR(load_devtable_acpi_ids),
	},
	.id_table = load_devtable_plat_ids,
	.probe = load_devtable_plat_probe,
};

static int __init load_devtable_init(void)
{
	int err = pci_register_driver(&load_devtable_pci_driver);

	if (err)
		return err;
	err = platform_driver_register(&load_devtable_plat_driver);
	if (err)
		pci_unregister_driver(&load_devtable_pci_driver);
	return err;
}

static void __exit load_devtable_exit(void)
{
	platform_driver_unregister(&load_devtable_plat_driver);
	pci_unregister_driver(&load_devtable_pci_driver);
}

module_init(load_devtable_init);
module_exit(load_devtable_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge load test: device tables");
