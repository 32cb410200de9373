int c_apply(int (*fn)(int), int x);
int
c_apply(int (*fn)(int), int x)
{
	return fn(x);
}
