extern int a_table[2];
int c_step(int x);
int
c_step(int x)
{
	return a_table[x & 1];
}
