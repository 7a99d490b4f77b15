"""The README's first example: X.npy, Y.npy and labels.txt in the folder given (default: here).

Two embeddings of the same 2,000 samples, five classes of 400 (cat, dog, car, truck, ship), each
class a cloud around its own axis; X has 384 dimensions, Y 256. They differ in two planted ways, so the example has a known
answer: Y puts truck on car's axis (X keeps the two apart), and Y holds ship twice as tightly
as X. Axis-aligned centres (no QR), so the files do not depend on the LAPACK build.
    python3 scripts/readme-example.py [DIR]
"""

import sys
from pathlib import Path

import numpy as np

out = Path(sys.argv[1] if len(sys.argv) > 1 else '.')
rng = np.random.default_rng(0)
names = ['cat', 'dog', 'car', 'truck', 'ship']
labels = np.repeat(np.arange(5), 400)


def embedding(d, centre_norm, truck_on_car, ship_spread):
    centres = np.eye(5, d) * centre_norm
    if truck_on_car:
        centres[3] = centres[2]
    spread = np.where(labels == 4, ship_spread, 1.0)[:, None]
    return (centres[labels] + spread * rng.normal(size=(len(labels), d))).astype(np.float32)


# A centre of norm c in d dimensions with unit noise gives a within-class cosine near c² / (c² + d):
# c = 0.75·√d makes it 0.36 in both embeddings, so only the planted differences set them apart.
np.save(out / 'X.npy', embedding(384, 0.75 * 384**0.5, False, 1.0))
np.save(out / 'Y.npy', embedding(256, 0.75 * 256**0.5, True, 0.5))
(out / 'labels.txt').write_text(''.join(names[k] + '\n' for k in labels))
