/* a -> b, a -> c, b -> c, and a callback c never names: no cycle */
int b_step(int x);
int c_apply(int (*fn)(int), int x);
int a_start(int x);
static int
twice(int x)
{
	return 2 * x;
}
int
a_start(int x)
{
	return b_step(x) + c_apply(twice, x);
}
