"""Plausible answers to notebook 01's exercises (see tests/variants/__init__.py)."""
VARIANTS = {
    "01.1-channel-means": {
        "correct": ["""
def channel_means(img):
    h, w, c = img.shape
    return img.reshape(h * w, c).sum(axis=0) / (h * w)
"""],
        "wrong": [("""
def channel_means(img):
    return img.mean(axis=(1, 2))
""", "averaged over the wrong axes"), ("""
def channel_means(img):
    return img.mean(axis=0)
""", "averaged over the height only"), ("""
def channel_means(img):
    return img.sum(axis=(0, 1)) / img.shape[0]
""", "divided by the height instead of the pixel count")],
    },
}
