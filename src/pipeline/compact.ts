// bake:compact — derives the browser's compact artifacts from pretrained/ (issue 11).
// Placeholder while the step is being written: it changes nothing.
console.log('bake:compact: nothing to do yet (issue 11 in progress)');
