"""Unit tests of degrade.py and of the training options that set its ranges (run by tests/SuperRes.Training.Tests: python3 -m unittest discover -s tests)."""
import unittest
from dataclasses import replace

import numpy as np

from superres_train import data
from superres_train.__main__ import parse
from superres_train.train import training_degradations
from superres_train.degrade import Degradations, degrade, downscale, fixed, jpeg
from superres_train.matlab_resize import imresize

NOTHING = Degradations(protocol_share=1.0, blur_chance=0.0, noise_chance=0.0, jpeg_chance=0.0, second_round_chance=0.0,
                       clean_chance=0.0)


def photo_like(size, seed=3):
    """Smooth shapes and fine texture, as uint8 RGB: enough structure for JPEG and blur to act on."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size] / size
    base = 128 + 80 * np.sin(6 * x + 3 * y)[..., None] * np.array([1.0, 0.6, 0.3])
    return np.clip(base + rng.normal(0, 12, (size, size, 3)), 0, 255).astype(np.uint8)


def boundary_step(image):
    """Mean absolute step across the 8-pixel grid's columns, and across all other column pairs."""
    g = image.astype(np.float64).mean(axis=2)
    steps = np.abs(np.diff(g, axis=1))
    on_grid = np.zeros(steps.shape[1], bool)
    on_grid[7::8] = True
    return steps[:, on_grid].mean(), steps[:, ~on_grid].mean()


class DegradeTests(unittest.TestCase):
    def test_a_seed_gives_the_same_picture_and_another_seed_another(self):
        hr = photo_like(192)
        a = degrade(hr, 3, np.random.default_rng(5))
        b = degrade(hr, 3, np.random.default_rng(5))
        self.assertTrue(np.array_equal(a, b))
        others = [degrade(hr, 3, np.random.default_rng(seed)) for seed in range(6, 12)]
        self.assertTrue(any(not np.array_equal(a, o) for o in others))
        self.assertEqual(a.shape, (64, 64, 3))
        self.assertEqual(a.dtype, np.uint8)

    def test_nothing_drawn_gives_the_protocols_lr(self):
        hr = photo_like(96)
        self.assertTrue(np.array_equal(degrade(hr, 3, np.random.default_rng(1), NOTHING), imresize(hr, 1 / 3)))
        clean = replace(NOTHING, clean_chance=1.0, jpeg_chance=1.0, noise_chance=1.0)
        self.assertTrue(np.array_equal(degrade(hr, 3, np.random.default_rng(1), clean), imresize(hr, 1 / 3)))

    def test_jpeg_blocks_fall_on_the_8_pixel_grid_of_the_region(self):
        low_quality = replace(NOTHING, jpeg_chance=1.0, jpeg_quality=(20, 20), twice_chance=0.0)
        lr = degrade(photo_like(384, seed=8), 3, np.random.default_rng(2), low_quality)
        on_grid, inside = boundary_step(lr.astype(np.int16) - imresize(photo_like(384, seed=8), 1 / 3).astype(np.int16) + 128)
        self.assertGreater(on_grid, 1.3 * inside, f"error steps at block edges {on_grid:.2f}, inside blocks {inside:.2f}")

    def test_the_sampler_cuts_degraded_patches_on_the_jpeg_grid_with_a_margin(self):
        hr = photo_like(480)
        lr = imresize(hr, 1 / 3)
        sampler = data.PatchSampler([(hr, lr)], 3, 48, np.random.default_rng(4), degradations=Degradations())
        origins = [sampler.origin(lr.shape[0]) for _ in range(200)]
        self.assertTrue(all(o % 8 == 0 and o >= 8 and o + 48 + 8 <= lr.shape[0] for o in origins))
        lrs, hrs, _ = sampler.batch(4)
        self.assertEqual(lrs.shape, (4, 48, 48, 3))
        self.assertEqual(hrs.shape, (4, 144, 144, 3))
        with self.assertRaises(ValueError):
            data.PatchSampler([(hr, lr)], 3, 44, np.random.default_rng(4), degradations=Degradations())

    def test_every_downscale_keeps_the_pixel_grid(self):
        # A bright 3x3 block at HR (30..32, 60..62) is LR pixel (10, 20) for every centre-aligned kernel.
        hr = np.zeros((96, 96, 3), np.float32)
        hr[30:33, 60:63] = 255
        for kernel in ("area", "bilinear", "bicubic", "protocol"):
            lr = downscale(hr, 3, kernel)[..., 0]
            weights = np.clip(lr, 0, None)
            cy = (weights.sum(axis=1) * np.arange(32)).sum() / weights.sum()
            cx = (weights.sum(axis=0) * np.arange(32)).sum() / weights.sum()
            self.assertAlmostEqual(cy, 10, delta=0.05, msg=kernel)
            self.assertAlmostEqual(cx, 20, delta=0.05, msg=kernel)
        self.assertTrue(np.allclose(downscale(hr, 3, "area")[10, 20], 255))

    def test_the_benchmarks_named_degradations(self):
        lr = photo_like(120)
        noisy = fixed(lr, "noise:10", seed=0)
        self.assertTrue(np.array_equal(noisy, fixed(lr, "noise:10", seed=0)))
        spread = (noisy.astype(np.float64) - lr).std()
        self.assertAlmostEqual(spread, 10, delta=0.6)  # clipping at 0 and 255 trims it a little
        self.assertTrue(np.array_equal(fixed(lr, "jpeg:60"), jpeg(lr, 60)))
        both = fixed(lr, "noise:5,jpeg:85", seed=0)
        self.assertTrue(np.array_equal(both, jpeg(fixed(lr, "noise:5", seed=0), 85)))
        soft = fixed(lr, "blur:1")
        self.assertLess(np.abs(np.diff(soft.astype(float), axis=1)).mean(), np.abs(np.diff(lr.astype(float), axis=1)).mean())
        with self.assertRaises(ValueError):
            fixed(lr, "sharpen:2")

    def test_noise_of_the_training_range_is_as_strong_as_drawn(self):
        flat = np.full((96, 96, 3), 128, np.uint8)
        only_noise = replace(NOTHING, noise_chance=1.0, poisson_chance=0.0, grey_noise_chance=0.0, gaussian_sigma=(8.0, 8.0))
        lr = degrade(flat, 3, np.random.default_rng(3), only_noise)
        self.assertAlmostEqual(lr.astype(np.float64).std(), 8, delta=0.8)
        grey = replace(only_noise, grey_noise_chance=1.0)
        lr = degrade(flat, 3, np.random.default_rng(3), grey).astype(np.int16)
        self.assertTrue(np.array_equal(lr[..., 0], lr[..., 1]) and np.array_equal(lr[..., 1], lr[..., 2]))


class TrainingDegradationsTests(unittest.TestCase):
    BASE = ["train", "--checkpoint-dir", "unused", "--degrade"]

    def test_the_jpeg_range_asked_for_is_the_one_drawn_from(self):
        self.assertEqual(training_degradations(parse(self.BASE)), Degradations())
        narrow = training_degradations(parse(self.BASE + ["--degrade-jpeg", "20", "75"]))
        self.assertEqual(narrow, replace(Degradations(), jpeg_quality=(20, 75)))
        protocol = training_degradations(parse(self.BASE + ["--degrade-protocol-share", "1"]))
        self.assertEqual(protocol, replace(Degradations(), protocol_share=1.0))
        self.assertIsNone(training_degradations(parse(["train", "--checkpoint-dir", "unused"])))

    def test_a_range_that_is_not_one_is_refused_with_its_numbers(self):
        with self.assertRaises(SystemExit) as refused:
            training_degradations(parse(self.BASE + ["--degrade-jpeg", "75", "20"]))
        self.assertIn("75 20", str(refused.exception))
        with self.assertRaises(SystemExit) as refused:
            training_degradations(parse(self.BASE + ["--degrade-protocol-share", "1.5"]))
        self.assertIn("1.5", str(refused.exception))


if __name__ == "__main__":
    unittest.main()
