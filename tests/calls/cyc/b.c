int c_step(int x);
int b_step(int x);
int
b_step(int x)
{
	return c_step(x) * 2;
}
