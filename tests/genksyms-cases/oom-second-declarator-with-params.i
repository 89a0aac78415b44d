int a, s(void);
