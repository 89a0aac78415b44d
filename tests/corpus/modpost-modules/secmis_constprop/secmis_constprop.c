// A static function that gcc clones for a constant argument (name.constprop.N):
// the clone in .text refers to init data directly, which both versions forgive
// (pattern 5); the same reference from a plain function is reported.
#include <linux/init.h>
#include <linux/module.h>

int secmis_sum_a(int n);
int secmis_sum_b(int n);
int secmis_sum_c(int n);
int secmis_plain_read(void);

static int init_numbers[16] __initdata = { 1, 2, 3, 4, 5, 6, 7, 8 };
int secmis_sink;

static int sum_numbers(const int *p, int n)
{
	int i, s = 0;

	for (i = 0; i < n; i++) {
		s += p[i] * (i + 1);
		s ^= s >> 3;
		s += p[(i * 7) % n];
		secmis_sink += s;
	}
	return s;
}

int secmis_sum_a(int n)
{
	return sum_numbers(init_numbers, n);
}

int secmis_sum_b(int n)
{
	return sum_numbers(init_numbers, n + 1) + 3;
}

int secmis_sum_c(int n)
{
	return sum_numbers(init_numbers, n * 2) - 1;
}

noinline int secmis_plain_read(void)
{
	return init_numbers[1];
}

static int __init secmis_init(void)
{
	return 0;
}
module_init(secmis_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modpost section mismatch: .constprop. clones");
