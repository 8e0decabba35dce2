//! Time of one password hash at each allowed bcrypt cost (the server default is 12).
//! `cargo bench -p server --bench password`.

use adronx::accounts::password::{Password, hash};
use std::time::Instant;

#[tokio::main]
async fn main() {
    let password = Password::parse("correct horse battery staple".to_owned()).unwrap();
    for cost in [10, 11, 12, 13] {
        let mut samples = vec![];
        for _ in 0..5 {
            let start = Instant::now();
            hash(&password, cost).await.unwrap();
            samples.push(start.elapsed());
        }
        samples.sort();
        println!("bcrypt cost {cost}: median {:?} per hash (5 runs)", samples[2]);
    }
}
