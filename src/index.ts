import { run } from './main.js'
import { runPost } from './post.js'
import { isPost } from './step/saved-state.js'

// action.yml runs this bundle as both `main` and `post`; saved state tells them apart.
void (isPost() ? runPost() : run())
