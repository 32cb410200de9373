int c_apply(int (*fn)(int), int x);
int b_step(int x);
static int
inc(int x)
{
	return x + 1;
}
int
b_step(int x)
{
	return c_apply(inc, x);
}
