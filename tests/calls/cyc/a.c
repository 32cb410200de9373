/* a -> b -> c -> a: c reads a's table, a cycle as real as a call */
int b_step(int x);
int a_table[2] = { 1, 2 };
int a_start(int x);
int
a_start(int x)
{
	return b_step(x) + 1;
}
