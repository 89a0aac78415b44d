// SPDX-License-Identifier: GPL-2.0
/*
 * modforge sample: a PCI driver and a USB driver with device tables. MODULE_DEVICE_TABLE
 * lets modpost write one alias per entry (pci:v00001B36d000000F1sv*sd*bc*sc*i*,
 * usb:v1209pF00Dd*dc*dsc*dp*ic*isc*ip*in*, ...); depmod collects them in modules.alias, and
 * udev's `modprobe <modalias of a new device>` then loads this module. The ids match no
 * device qemu emulates, so loading probes nothing; nor do they match any other module of
 * Debian's kernels (8086:1234, say, would also load pata_mpiix). The USB half needs
 * usbcore (modprobe loads it first; with insmod, load usb-common and usbcore yourself).
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/usb.h>

static const struct pci_device_id devtable_pci_ids[] = {
	{ PCI_DEVICE(0x1b36, 0x00f1) },				/* vendor and device */
	{ PCI_DEVICE_SUB(0x1b36, 0x00f0, 0x1b36, 0x0001) },	/* and subsystem ids */
	{ PCI_VDEVICE(INTEL, 0x1235), .driver_data = 1 },	/* with driver data */
	{ }
};
MODULE_DEVICE_TABLE(pci, devtable_pci_ids);

static const struct usb_device_id devtable_usb_ids[] = {
	{ USB_DEVICE(0x1209, 0xf00d) },					/* vendor and product */
	{ USB_DEVICE_VER(0x1209, 0xf00e, 0x0100, 0x0250) },		/* and a bcdDevice range */
	{ USB_DEVICE_AND_INTERFACE_INFO(0x1209, 0xf00f, 0xff, 0x01, 0x02) },	/* an interface */
	{ }
};
MODULE_DEVICE_TABLE(usb, devtable_usb_ids);

static int devtable_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	dev_info(&pdev->dev, "devtable: matched entry %lu\n", id->driver_data);
	return -ENODEV;	/* a sample: claims nothing */
}

static struct pci_driver devtable_pci_driver = {
	.name = "devtable",
	.id_table = devtable_pci_ids,
	.probe = devtable_pci_probe,
};

static int devtable_usb_probe(struct usb_interface *intf, const struct usb_device_id *id)
{
	dev_info(&intf->dev, "devtable: matched %04x:%04x\n", id->idVendor, id->idProduct);
	return -ENODEV;
}

static void devtable_usb_disconnect(struct usb_interface *intf)
{
}

static struct usb_driver devtable_usb_driver = {
	.name = "devtable",
	.id_table = devtable_usb_ids,
	.probe = devtable_usb_probe,
	.disconnect = devtable_usb_disconnect,
};

static int __init devtable_init(void)
{
	int err = pci_register_driver(&devtable_pci_driver);

	if (err)
		return err;
	err = usb_register(&devtable_usb_driver);
	if (err)
		pci_unregister_driver(&devtable_pci_driver);
	return err;
}

static void __exit devtable_exit(void)
{
	usb_deregister(&devtable_usb_driver);
	pci_unregister_driver(&devtable_pci_driver);
}

module_init(devtable_init);
module_exit(devtable_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge sample: PCI and USB device tables");
