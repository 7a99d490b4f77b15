// as-pect runs the AssemblyScript kernel specs in tests/as/ inside wasm itself.
export default {
  entries: ['tests/as/**/*.spec.ts'],
  include: ['tests/as/**/*.include.ts'],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  outputBinary: false,
};
