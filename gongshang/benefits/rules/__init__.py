"""工伤待遇 rules: pure functions, no Django imports. Decimal in, Decimal out; every amount an
item pays is rounded once, to the fen, half-up (gongshang.core.money.to_fen). Each rule cites the
article of 《工伤保险条例》 (国务院令第586号, "条例") it applies."""
