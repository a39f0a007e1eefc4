"""Pure rules of 工伤认定: no Django imports; codes and dates in, results out. Each rule cites its
source (《工伤保险条例》 "条例", 《工伤认定办法》 "认定办法", seeds 000/002/004).

- codes.py: the stable codes (circumstances, treatments, applicants, material kinds) and labels;
- materials.py: the materials checklist (条例 第十八条);
- periods.py: the application periods (条例 第十七条);
- deadlines.py: the agency's deadlines (认定办法 第八条, 条例 第二十条, 认定办法 第二十二条);
- workflow.py: the one status transition table.
"""
