/** The file name of the single weight shard written next to each `model.json`. */
export const WEIGHTS_FILE = 'group1-shard1of1.bin';
